/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_RECLAIM_H
#define _PKTPOOL_RECLAIM_H

int pktpool_reclaim_init(void);
void pktpool_reclaim_exit(void);

#endif /* _PKTPOOL_RECLAIM_H */
