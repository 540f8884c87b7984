// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl: the admin tool of pktpool. This file holds only what every
 * command shares: global options, the command table and the help text.
 * See pktpoolctl.h for where each command lives.
 *
 * Exit status: 0 success, 1 failure, 2 usage error; health has its own
 * (0 ok, 1 warn, 2 critical, 3 unknown).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pktpoolctl.h"

const char *pctl_prog = "pktpoolctl";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-d DEVICE] [--json] COMMAND [ARGS]\n"
		"       %s --version\n"
		"\n"
		"Reading (any user, through netlink; --json for programs):\n"
		"  version                       ABI version, features, size classes, netlink family\n"
		"  list                          all pools, one per line\n"
		"  show NAME|ID                  configuration and statistics of a pool\n"
		"  show NAME|ID --objects        a debug pool's objects out: allocation site,\n"
		"                                age, task (needs CAP_NET_ADMIN)\n"
		"  class list                    size classes with the memory pktpool holds in each\n"
		"  region list                   all regions\n"
		"  region show NAME|ID [--objects]\n"
		"                                one region: the kernel's view and libpktpool's\n"
		"                                counters, holdings, health (memfd regions too);\n"
		"                                --objects: slots out with their allocators (debug)\n"
		"  health [NAME] [--warn PCT] [--crit PCT]\n"
		"                                regions and pools against thresholds (80%%, 95%%);\n"
		"                                exit 0 ok, 1 warn, 2 critical, 3 unknown\n"
		"  watch [--interval S] [--count N]\n"
		"                                live view sorted by objects in use, with rates;\n"
		"                                q quits (on a terminal)\n"
		"  monitor [--count N] [--timeout S]\n"
		"                                print notifications as they arrive\n"
		"\n"
		"Changing (pools need CAP_NET_ADMIN):\n"
		"  create NAME --size N [--limit N] [--reserve N] [--node N] [--debug]\n"
		"                                make a pool\n"
		"  destroy NAME|ID               remove an idle pool\n"
		"  set NAME|ID [--limit N] [--reserve N]\n"
		"                                change limit and/or reserve\n"
		"  reset-stats NAME|ID           start peak and failure counters over\n"
		"  region create NAME --slot-size N --slots N [--mode MODE] [--node N]\n"
		"                                make a region; it stays after pktpoolctl exits\n"
		"  region destroy NAME|ID        remove a region (its owner or CAP_NET_ADMIN)\n"
		"  region reclaim NAME [--pid PID] [--idle]\n"
		"                                return the slots dead processes held\n"
		"  region reset-stats NAME       zero a region's library counters, restart its peak\n"
		"  apply FILE [--dry-run]        make pools and regions match FILE ('-': stdin)\n"
		"\n"
		"Netfilter bindings (pktpool_nf.ko; bind/unbind need CAP_NET_ADMIN):\n"
		"  nf bind REGION --family ipv4|ipv6 --hook HOOK [--priority P]\n"
		"          [--mark M[/MASK]] [--snaplen N] [--action copy]\n"
		"                                copy matching packets into REGION's slots\n"
		"  nf unbind ID                  remove a binding of this network namespace\n"
		"  nf list                       bindings with their statistics\n"
		"\n"
		"Network devices on regions (pktpool_vdev.ko; add/del need CAP_NET_ADMIN):\n"
		"  vdev add IFNAME --region R [--mtu N] [--queue-max N] [--policy tail|head]\n"
		"                                a layer-3 device whose packets travel through R\n"
		"  vdev del IFNAME               remove a device of this network namespace\n"
		"  vdev list                     devices with carrier, staged packets, counters\n"
		"  vdev show IFNAME              one device, every counter\n"
		"\n"
		"Options:\n"
		"  -d, --device DEVICE   control device (default %s)\n"
		"  -j, --json            JSON output for the reading commands (also after\n"
		"                        the command); schema in pktpoolctl-json.md\n"
		"  -h, --help            this help; COMMAND --help for a command's\n"
		"  -V, --version         pktpoolctl's own version ('version' asks the module)\n"
		"\n"
		"create and set:\n"
		"  --size N      object size in bytes, 1 up to the largest size class\n"
		"  --limit N     most objects out at once; 0 means unlimited (default)\n"
		"  --reserve N   objects kept aside for atomic callers (default 0)\n"
		"  --node N      NUMA node to allocate from, -1 or 'any' for any (default)\n"
		"  --debug       track every object and catch double and foreign frees\n"
		"\n"
		"apply FILE: sections [pool NAME] with keys size, limit, reserve, node,\n"
		"debug, and [region NAME] with keys slot_size, slots, mode, node; '#' or\n"
		"';' start comments. Creates what is missing, sets limit and reserve,\n"
		"reports what it cannot change (destroy and create to change that) and\n"
		"leaves pools, regions and keys the file does not name alone. Exit 0 when\n"
		"everything matches afterwards (with --dry-run: would match), 1 when not,\n"
		"2 when the file is invalid (nothing is changed then).\n"
		"\n"
		"Numbers are decimal digits, optionally followed by one suffix k, m or g\n"
		"(either case: x1024, x1024^2, x1024^3), e.g. 64k = 65536; no sign, no\n"
		"spaces, no 0x. --interval and --timeout take seconds with an optional\n"
		"fraction (0.5). --mode is octal (0660). Names are 1..%d characters of a-z, 0-9, '_' and '-'; a name\n"
		"made of digits only is taken as an id.\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error (health: 0 ok, 1 warn,\n"
		"2 critical, 3 unknown).\n",
		pctl_prog, pctl_prog, PKTPOOL_DEVICE, PKTPOOL_NAME_MAX - 1);
}

/*
 * For commands that take only --json and --help besides exactly nargs
 * positional arguments; 0 or an exit status (-1 for a --help that was
 * answered).
 */
int pctl_simple_args(struct ctl *ctl, int argc, char **argv, int nargs,
		     const char *synopsis)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* 0: make getopt start over, with this optstring */
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			ctl->json = true;
			break;
		case 'h':
			printf("Usage: %s %s\n", pctl_prog, synopsis);
			return -1;
		default:
			return pctl_usage_error("usage: %s %s", pctl_prog,
						synopsis);
		}
	}
	if (argc - optind != nargs)
		return pctl_usage_error("usage: %s %s", pctl_prog, synopsis);
	return 0;
}

static const struct command {
	const char *name;
	int (*fn)(struct ctl *ctl, int argc, char **argv);
} commands[] = {
	{ "version", pctl_cmd_version },
	{ "list", pctl_cmd_list },
	{ "show", pctl_cmd_show },
	{ "create", pctl_cmd_create },
	{ "destroy", pctl_cmd_destroy },
	{ "set", pctl_cmd_set },
	{ "reset-stats", pctl_cmd_reset_stats },
	{ "region", pctl_cmd_region },
	{ "class", pctl_cmd_class },
	{ "watch", pctl_cmd_watch },
	{ "monitor", pctl_cmd_monitor },
	{ "apply", pctl_cmd_apply },
	{ "nf", pctl_cmd_nf },
	{ "vdev", pctl_cmd_vdev },
	{ "health", pctl_cmd_health },
};

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl ctl = { .device = PKTPOOL_DEVICE, .fd = -1 };
	size_t i;
	int c, ret;

	/* '+': stop at the command; its options are its own. */
	while ((c = getopt_long(argc, argv, "+d:jhV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			ctl.device = optarg;
			break;
		case 'j':
			ctl.json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("%s %s\n", pctl_prog, PKTPOOL_VERSION);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return pctl_usage_error("no command given");
	if (!strcmp(argv[optind], "help")) {
		usage(stdout);
		return EXIT_OK;
	}

	for (i = 0; i < PCTL_ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[optind], commands[i].name))
			continue;
		ret = commands[i].fn(&ctl, argc - optind, argv + optind);
		if (ctl.fd >= 0)
			close(ctl.fd);
		pctl_nl_close(&ctl.nl);
		if (fflush(stdout) || ferror(stdout)) {
			pctl_err("writing the output failed");
			return EXIT_FAIL;
		}
		return ret < 0 ? EXIT_OK : ret;
	}
	return pctl_usage_error("unknown command '%s'", argv[optind]);
}
