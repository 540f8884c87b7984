// SPDX-License-Identifier: GPL-2.0
/*
 * pktpool_nf: netfilter bindings that copy packets into pktpool regions.
 * Module init and exit only; bindings live in binding.c, the generic
 * netlink family in netlink.c.
 */
#include <linux/module.h>
#include <net/net_namespace.h>

#include "binding.h"
#include "netlink.h"

/*
 * A namespace going away takes its bindings with it, before its devices
 * go (pre_exit runs before any exit): waiting packets hold references on
 * those devices.
 */
static void __net_exit pktpool_nf_net_pre_exit(struct net *net)
{
	pktpool_nf_unbind_net(net);
}

static struct pernet_operations pktpool_nf_net_ops = {
	.pre_exit = pktpool_nf_net_pre_exit,
};

static int __init pktpool_nf_init(void)
{
	int err;

	err = register_pernet_subsys(&pktpool_nf_net_ops);
	if (err)
		return err;
	err = pktpool_nf_netlink_init();
	if (err)
		goto err_netlink;
	return 0;

err_netlink:
	unregister_pernet_subsys(&pktpool_nf_net_ops);
	return err;
}

static void __exit pktpool_nf_exit(void)
{
	/* No new bindings once the family is gone; then drop the rest. */
	pktpool_nf_netlink_exit();
	pktpool_nf_unbind_all();
	unregister_pernet_subsys(&pktpool_nf_net_ops);
}

module_init(pktpool_nf_init);
module_exit(pktpool_nf_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Netfilter bindings that hand packets to userspace through pktpool regions");
MODULE_AUTHOR("The pktpool authors");
