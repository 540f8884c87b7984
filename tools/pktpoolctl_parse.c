// SPDX-License-Identifier: GPL-2.0
/*
 * pktpoolctl: strict parsing of what the user typed (or wrote in an apply
 * file). Nothing here talks to the kernel; a false return or a usage
 * error's exit status is all a caller gets.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pktpoolctl.h"

/*
 * Unsigned decimal: digits only (no sign, space or base prefix), an
 * optional k/m/g binary suffix, no overflow.
 */
bool pctl_parse_u64(const char *s, __u64 *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return false;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		end++;
		break;
	case 'm': case 'M':
		shift = 20;
		end++;
		break;
	case 'g': case 'G':
		shift = 30;
		end++;
		break;
	default:
		return false;
	}
	if (*end)
		return false;
	if (shift && v > (UINT64_MAX >> shift))
		return false;
	*out = (__u64)v << shift;
	return true;
}

bool pctl_parse_u32(const char *s, __u32 *out)
{
	__u64 v;

	if (!pctl_parse_u64(s, &v) || v > UINT32_MAX)
		return false;
	*out = (__u32)v;
	return true;
}

/* A NUMA node: -1 or "any", or 0..INT32_MAX. */
bool pctl_parse_node(const char *s, __s32 *out)
{
	__u64 v;

	if (!strcmp(s, "-1") || !strcmp(s, "any")) {
		*out = -1;
		return true;
	}
	if (!pctl_parse_u64(s, &v) || v > INT32_MAX)
		return false;
	*out = (__s32)v;
	return true;
}

/* Permission bits in octal, as chmod takes them: 0660 or 660, at most 0777. */
bool pctl_parse_mode(const char *s, __u32 *out)
{
	unsigned long v;
	char *end;

	if (!*s || strspn(s, "01234567") != strlen(s) || strlen(s) > 4)
		return false;
	v = strtoul(s, &end, 8);
	if (*end || v > 0777)
		return false;
	*out = (__u32)v;
	return true;
}

/* Seconds, decimal with an optional fraction: 1, 0.5, 2.25; 1 ms .. 1 day. */
bool pctl_parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || ((*s < '0' || *s > '9') && *s != '.'))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < 0.001 || v > 86400)
		return false;
	*out = v;
	return true;
}

bool pctl_name_valid(const char *name)
{
	size_t len = strlen(name), i;

	if (len < 1 || len >= PKTPOOL_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

bool pctl_all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

void pctl_ref_name(struct pctl_ref *ref, const char *name)
{
	memset(ref, 0, sizeof(*ref));
	strncpy(ref->name, name, sizeof(ref->name) - 1);
}

/*
 * NAME or ID of a pool or region (what: "pool" or "region"); 0 or a usage
 * error's exit status. A name of digits only is an id.
 */
int pctl_parse_ref(const char *arg, const char *what, struct pctl_ref *ref)
{
	memset(ref, 0, sizeof(*ref));
	if (pctl_all_digits(arg)) {
		if (!pctl_parse_u32(arg, &ref->id) || !ref->id)
			return pctl_usage_error("invalid %s id '%s': 1..%u",
						what, arg, UINT32_MAX);
		return 0;
	}
	if (!pctl_name_valid(arg))
		return pctl_usage_error("invalid %s name '%s': use 1..%d characters of a-z, 0-9, '_' and '-'",
					what, arg, PKTPOOL_NAME_MAX - 1);
	pctl_ref_name(ref, arg);
	return 0;
}

/* How to call the object in messages: "'fw'" or "with id 3". */
const char *pctl_ref_str(const struct pctl_ref *ref, char *buf, size_t size)
{
	if (ref->id)
		snprintf(buf, size, "with id %u", ref->id);
	else
		snprintf(buf, size, "'%s'", ref->name);
	return buf;
}
