/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PKTPOOL_CHARDEV_H
#define _PKTPOOL_CHARDEV_H

int pktpool_chardev_init(void);
void pktpool_chardev_exit(void);

#endif /* _PKTPOOL_CHARDEV_H */
