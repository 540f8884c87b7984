/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kselftest harness, included with the unused-parameter warnings of
 * its own internals silenced, so the tests build with -Wextra -Werror.
 */
#ifndef PKTPOOL_HARNESS_H
#define PKTPOOL_HARNESS_H

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#endif /* PKTPOOL_HARNESS_H */
