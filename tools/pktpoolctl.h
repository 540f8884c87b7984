/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktpoolctl: what its parts share. One file per concern:
 *   pktpoolctl.c          main: global options, the command table, help
 *   pktpoolctl_parse.c    strict numbers, names and NAME|ID references
 *   pktpoolctl_dev.c      /dev/pktpool ioctls (create, destroy, version)
 *   pktpoolctl_nl.c       the "pktpool" generic netlink family (libmnl):
 *                         requests, acks, extack, records
 *   pktpoolctl_err.c      an errno plus the kernel's extack -> advice
 *   pktpoolctl_out.c      units, aligned tables, the JSON writer
 *   pktpoolctl_pool.c     version, list, show, create, destroy, set,
 *                         reset-stats
 *   pktpoolctl_objects.c  show --objects: what a debug pool has out
 *   pktpoolctl_region.c   region list/show/create/destroy, class list
 *   pktpoolctl_watch.c    watch: a live, sorted view with rates
 *   pktpoolctl_monitor.c  monitor: notifications as they arrive
 *   pktpoolctl_apply.c    apply: make pools and regions match a file
 *   pktpoolctl_why.c      which rule a refused create or set broke
 *   pktpoolctl_lib.c      libpktpool's counters in a region, debug objects,
 *                         statistics reset (through the library)
 *   pktpoolctl_health.c   health: regions and pools against thresholds
 *   pktpoolctl_nf.c       nf: pktpool_nf.ko's bindings, its own family
 *   pktpoolctl_vdev.c     vdev: pktpool_vdev.ko's devices, its own family
 *   pktpoolctl_genl.c     the generic netlink client nf and vdev share
 *
 * The device and netlink layers never print; they return 0 or -errno and
 * leave the kernel's extack in struct pctl_nl for the error layer. The
 * JSON schema is documented in pktpoolctl-json.md.
 */
#ifndef PKTPOOLCTL_H
#define PKTPOOLCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/pktpool.h>

struct mnl_socket;
struct nlmsghdr;

#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

#define PCTL_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

extern const char *pctl_prog;

/* A pool or region as the user named it: by id, or by name when id is 0. */
struct pctl_ref {
	__u32 id;
	char name[PKTPOOL_NAME_MAX];
};

/* The netlink side of a session; see pktpoolctl_nl.c. */
struct pctl_nl {
	struct mnl_socket *sock;
	__u32 portid;
	__u32 seq;
	__u16 family;		/* resolved id of PKTPOOL_GENL_NAME */
	__u32 version;		/* the family's version */
	__u32 mcgrp_monitor;	/* id of the "monitor" group, 0 if none */
	/* From the last error: extack message and the offending attribute. */
	char ext_msg[256];
	int ext_attr;		/* attribute type in our request, -1 none */
	char *buf;		/* receive buffer */
	size_t buf_size;
};

/* Everything a command needs. */
struct ctl {
	const char *device;
	int fd;			/* /dev/pktpool, -1 until opened */
	bool json;		/* --json given before the command */
	const char *why;	/* the rule a refused request broke, if known */
	struct pctl_nl nl;	/* sock NULL until opened */
};

/* Records, one per netlink object; have has bit N set for attribute N. */
struct pctl_pool {
	uint64_t have;
	__u32 id;
	char name[PKTPOOL_NAME_MAX];
	__u32 obj_size;
	__u32 class_size;
	__s32 node;
	__u32 flags;
	__u64 limit;
	__u64 reserve;
	__u64 in_use;
	__u64 peak;
	__u64 allocs;
	__u64 frees;
	__u64 fail_limit;
	__u64 fail_nomem;
	__u64 reserve_hits;
	__u64 reserve_avail;
	__u64 cached;
	__u64 holders;
	__u64 bad_frees;
	__u64 fails_since;
	__u32 health;		/* pool-health-ntf: enum pktpool_health */
};

struct pctl_region {
	uint64_t have;
	__u32 id;
	char name[PKTPOOL_NAME_MAX];
	__u32 slot_size;
	__u32 slot_count;
	__s32 node;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u64 size;
	__u64 attached;
	__u64 mappings;
	__u32 pid;
	__u32 access;
	__u64 kernel_slots;
	__u64 inflight_slots;
	__u64 user_slots;
	__u64 ring_invalid;
	/* libpktpool's summary (the lib-* attributes), when the kernel gave it */
	__u64 lib_age_ms;
	__u64 lib_in_use;
	__u64 lib_cached;
	__u64 lib_free;
	__u64 lib_peak;
	__u64 lib_allocs;
	__u64 lib_frees;
	__u64 lib_failures;
	__u64 lib_errors;
	__u64 lib_reclaimed;
	__u32 lib_threads;
	__u32 lib_procs;
	__u64 lib_procs_age_ms;
	unsigned int nr_lib_proc;
	struct pctl_lib_proc {
		__u32 id;
		__u32 pid;
		__u64 held;
	} lib_proc[PKTPOOL_REGION_LIB_PROCS];
};

struct pctl_class {
	uint64_t have;
	__u32 size;
	char name[PKTPOOL_NAME_MAX];
	__u32 pools;
	__u64 objects;
	__u64 bytes;
	__u64 in_use;
};

/*
 * One object a debug pool has out (pool-objects-get); have has bit N set
 * for PKTPOOL_A_OBJECT_N. site is cut to fit.
 */
struct pctl_object {
	uint64_t have;
	__u64 seq;
	__u64 age_ms;
	__u32 context;		/* PKTPOOL_OBJ_CTX_*, 0 if not sent */
	__u32 pid;
	__u32 tid;
	char comm[16];
	char site[256];
};

/* How to read an attribute set into a record and write it as JSON. */
enum pctl_type { PCTL_U32, PCTL_S32, PCTL_U64, PCTL_STR };

struct pctl_field {
	__u16 attr;
	enum pctl_type type;
	const char *json;	/* the spec's attribute name, '-' -> '_' */
	size_t off;
};

struct nlattr;
struct pctl_json;

struct pctl_attr_set {
	const char *name;
	const struct pctl_field *fields;
	unsigned int nr_fields;
	__u16 maxattr;
	/* optional: attributes no field takes (nests), and their JSON */
	void (*parse_more)(const struct nlattr *attr, void *rec);
	void (*json_more)(struct pctl_json *j, const void *rec);
};

extern const struct pctl_attr_set pctl_pool_attrs;
extern const struct pctl_attr_set pctl_region_attrs;
extern const struct pctl_attr_set pctl_class_attrs;

/* pktpoolctl_parse.c */
bool pctl_parse_u64(const char *s, __u64 *out);
bool pctl_parse_u32(const char *s, __u32 *out);
bool pctl_parse_node(const char *s, __s32 *out);
bool pctl_parse_mode(const char *s, __u32 *out);
bool pctl_parse_seconds(const char *s, double *out);
bool pctl_name_valid(const char *name);
bool pctl_all_digits(const char *s);
int pctl_parse_ref(const char *arg, const char *what, struct pctl_ref *ref);
void pctl_ref_name(struct pctl_ref *ref, const char *name);
const char *pctl_ref_str(const struct pctl_ref *ref, char *buf, size_t size);
int pctl_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
void pctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* pktpoolctl_reclaim.c, through libpktpool */
int pctl_region_reclaim(struct ctl *ctl, int argc, char **argv);

/* pktpoolctl_lib.c: libpktpool's view of a region (read-only handle) */
struct pktpool;
struct pctl_json;
int pctl_lib_open(const char *name, bool kernel, bool write,
		  struct pktpool **p);
const char *pctl_lib_why(int err);
int pctl_lib_print(struct pktpool *p, bool objects);
int pctl_lib_json(struct pctl_json *j, struct pktpool *p, bool objects);
int pctl_region_reset_stats(struct ctl *ctl, int argc, char **argv);
const char *pctl_health_name(int level);
const char *pctl_health_reasons(uint32_t reasons, char *buf, size_t size);
void pctl_json_reasons(struct pctl_json *j, uint32_t reasons);

/* pktpoolctl_health.c */
int pctl_cmd_health(struct ctl *ctl, int argc, char **argv);

/* pktpoolctl_dev.c */
int pctl_dev_open(struct ctl *ctl, bool write);
int pctl_dev_version(struct ctl *ctl, struct pktpool_version *v);
int pctl_dev_pool_create(struct ctl *ctl, struct pktpool_pool_create *c);
int pctl_dev_pool_destroy(struct ctl *ctl, const struct pctl_ref *ref);
int pctl_dev_pool_reset_stats(struct ctl *ctl, const struct pctl_ref *ref);
int pctl_dev_region_create(struct ctl *ctl, struct pktpool_region_create *c);
int pctl_dev_region_destroy(struct ctl *ctl, const struct pctl_ref *ref);

/* pktpoolctl_nl.c */
int pctl_nl_open(struct pctl_nl *nl);
void pctl_nl_close(struct pctl_nl *nl);
int pctl_nl_subscribe(struct pctl_nl *nl, __u32 group);
int pctl_parse_record(const struct pctl_attr_set *set,
		      const struct nlmsghdr *nlh, void *rec);
int pctl_pool_get(struct pctl_nl *nl, const struct pctl_ref *ref,
		  struct pctl_pool *pool);
int pctl_pool_dump(struct pctl_nl *nl, struct pctl_pool **pools, size_t *nr);
int pctl_pool_set(struct pctl_nl *nl, const struct pctl_ref *ref,
		  const __u64 *limit, const __u64 *reserve);
int pctl_region_get(struct pctl_nl *nl, const struct pctl_ref *ref,
		    struct pctl_region *region);
int pctl_region_dump(struct pctl_nl *nl, struct pctl_region **regions,
		     size_t *nr);
int pctl_class_dump(struct pctl_nl *nl, struct pctl_class **classes,
		    size_t *nr);
int pctl_pool_objects_dump(struct pctl_nl *nl, const struct pctl_ref *ref,
			   struct pctl_object **objs, size_t *nr);
const char *pctl_cmd_name(__u8 cmd);

/* pktpoolctl_why.c: the one rule a refused request broke, or NULL */
const char *pctl_why_pool_create(struct ctl *ctl,
				 const struct pktpool_pool_create *c,
				 char *buf, size_t size);
const char *pctl_why_pool_set(struct ctl *ctl, const struct pctl_ref *ref,
			      const __u64 *limit, const __u64 *reserve,
			      char *buf, size_t size);
const char *pctl_why_region_create(const struct pktpool_region_create *c,
				   char *buf, size_t size);

/* pktpoolctl_err.c */
enum pctl_op {
	PCTL_OP_OPEN, PCTL_OP_NETLINK, PCTL_OP_VERSION, PCTL_OP_LIST,
	PCTL_OP_SHOW, PCTL_OP_CREATE, PCTL_OP_DESTROY, PCTL_OP_SET,
	PCTL_OP_REGION_LIST, PCTL_OP_REGION_SHOW, PCTL_OP_REGION_CREATE,
	PCTL_OP_REGION_DESTROY, PCTL_OP_CLASS_LIST, PCTL_OP_MONITOR,
	PCTL_OP_RESET_STATS, PCTL_OP_OBJECTS,
};
int pctl_report(struct ctl *ctl, enum pctl_op op, const struct pctl_ref *ref,
		int err);
int pctl_open_dev(struct ctl *ctl, bool write);
int pctl_open_nl(struct ctl *ctl);
int pctl_open(struct ctl *ctl);

/* pktpoolctl_out.c */
const char *pctl_fmt_bytes(long double bytes, char *buf, size_t size);
const char *pctl_fmt_limit(__u64 limit, char *buf, size_t size);
const char *pctl_fmt_u64(__u64 v, char *buf, size_t size);
const char *pctl_fmt_pct(__u64 n, __u64 of, char *buf, size_t size);
const char *pctl_fmt_rate(double rate, char *buf, size_t size);
const char *pctl_fmt_mode(__u32 mode, char *buf, size_t size);
const char *pctl_fmt_node(__s32 node, char *buf, size_t size);
struct timespec;
const char *pctl_fmt_time(const struct timespec *ts, char *buf, size_t size);
double pctl_epoch(const struct timespec *ts);
void pctl_kv(const char *key, const char *value);

#define PCTL_CELL	32

struct pctl_col {
	const char *title;
	bool left;
};

struct pctl_table {
	const struct pctl_col *cols;
	unsigned int nr_cols;
	unsigned int nr_rows;
	unsigned int cap;
	char (*cells)[PCTL_CELL];
};

void pctl_table_init(struct pctl_table *t, const struct pctl_col *cols,
		     unsigned int nr_cols);
char (*pctl_table_row(struct pctl_table *t))[PCTL_CELL];
void pctl_table_print(const struct pctl_table *t, FILE *f,
		      unsigned int max_rows);
void pctl_table_free(struct pctl_table *t);

/* A JSON writer for one value at a time; keys NULL inside arrays. */
struct pctl_json {
	FILE *f;
	int depth;
	bool first[16];
};

void pctl_json_init(struct pctl_json *j, FILE *f);
void pctl_json_obj(struct pctl_json *j, const char *key);
void pctl_json_arr(struct pctl_json *j, const char *key);
void pctl_json_end_obj(struct pctl_json *j);
void pctl_json_end_arr(struct pctl_json *j);
void pctl_json_str(struct pctl_json *j, const char *key, const char *s);
void pctl_json_u64(struct pctl_json *j, const char *key, __u64 v);
void pctl_json_s64(struct pctl_json *j, const char *key, long long v);
void pctl_json_double(struct pctl_json *j, const char *key, double v,
		      int decimals);
void pctl_json_null(struct pctl_json *j, const char *key);
void pctl_json_bool(struct pctl_json *j, const char *key, bool v);
void pctl_json_fields(struct pctl_json *j, const struct pctl_attr_set *set,
		      const void *rec);
void pctl_json_record(struct pctl_json *j, const char *key,
		      const struct pctl_attr_set *set, const void *rec);
void pctl_json_done(struct pctl_json *j);
void pctl_json_print_records(const struct pctl_attr_set *set,
			     const void *recs, size_t nr, size_t size);

/* Commands: argc/argv start at the command's name. */
int pctl_cmd_version(struct ctl *ctl, int argc, char **argv);
int pctl_cmd_list(struct ctl *ctl, int argc, char **argv);
int pctl_cmd_show(struct ctl *ctl, int argc, char **argv);
int pctl_cmd_create(struct ctl *ctl, int argc, char **argv);
int pctl_cmd_destroy(struct ctl *ctl, int argc, char **argv);
int pctl_cmd_set(struct ctl *ctl, int argc, char **argv);
int pctl_cmd_reset_stats(struct ctl *ctl, int argc, char **argv);
int pctl_cmd_region(struct ctl *ctl, int argc, char **argv);
int pctl_cmd_nf(struct ctl *ctl, int argc, char **argv);
int pctl_cmd_vdev(struct ctl *ctl, int argc, char **argv);
int pctl_cmd_class(struct ctl *ctl, int argc, char **argv);
int pctl_cmd_watch(struct ctl *ctl, int argc, char **argv);
int pctl_cmd_monitor(struct ctl *ctl, int argc, char **argv);
int pctl_cmd_apply(struct ctl *ctl, int argc, char **argv);

/* pktpoolctl_objects.c: show NAME|ID --objects */
int pctl_show_objects(struct ctl *ctl, const struct pctl_ref *ref);

/* Shared by the commands: pktpoolctl.c, then pktpoolctl_pool.c. */
int pctl_simple_args(struct ctl *ctl, int argc, char **argv, int nargs,
		     const char *synopsis);
void pctl_print_pool(const struct pctl_pool *p);

#endif /* PKTPOOLCTL_H */
