// SPDX-License-Identifier: MIT
/*
 * Host tests of pktpool-vpn's parts that need no kernel: the wire format
 * and AEAD in place, the replay window, the sender's counters, the key
 * file and the slot table. TAP, one line per test, each named for the
 * behaviour it checks; exit 0 iff all passed.
 *
 *   vpn_test [DIR]   DIR: a scratch directory for key files (default /tmp)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "../vpn.h"

static int nr, failed;
static const char *dir = "/tmp";

#define CHECK(cond) do { \
	if (!(cond)) { \
		printf("# %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		return 1; \
	} \
} while (0)

static const uint8_t key[PKTPOOL_VPN_KEY_LEN] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};

#define SEC	1700000000ULL
#define NOW	(SEC << PKTPOOL_VPN_SEC_SHIFT)	/* a realistic clock */

struct datagram {
	uint8_t hdr[PKTPOOL_VPN_HDR_LEN];
	uint8_t data[2048];
	uint8_t tag[PKTPOOL_VPN_TAG_LEN];
	size_t len;
};

static void fill_packet(uint8_t *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

/* A sealed datagram of len bytes from sender s at time now. */
static int seal(struct pktpool_vpn_sender *s, uint64_t now, size_t len,
		struct datagram *d)
{
	fill_packet(d->data, len, (uint8_t)now);
	d->len = len;
	return pktpool_vpn_seal(key, s, now, d->data, len, d->hdr, d->tag);
}

/* Receive a copy of d (the original stays for replays). */
static int receive(struct pktpool_vpn_replay *w, const struct datagram *d)
{
	struct datagram c = *d;
	uint32_t sender;

	return pktpool_vpn_receive(key, w, c.hdr, c.data, c.len, c.tag,
				   &sender);
}

static int test_seal_then_open_restores_the_packet_in_place(void)
{
	struct pktpool_vpn_sender s = { .id = 0x11223344 };
	uint8_t want[1400];
	struct datagram d;
	uint32_t id;
	uint64_t ctr;

	fill_packet(want, sizeof(want), (uint8_t)NOW);
	CHECK(seal(&s, NOW, sizeof(want), &d) == 0);
	CHECK(memcmp(d.data, want, sizeof(want)) != 0);
	CHECK(pktpool_vpn_parse_hdr(d.hdr, &id, &ctr) == 0);
	CHECK(id == 0x11223344 && ctr == NOW);
	CHECK(d.hdr[0] == PKTPOOL_VPN_TYPE_DATA && d.hdr[4] == 0x11 &&
	      d.hdr[15] == (uint8_t)NOW);
	CHECK(pktpool_vpn_open(key, d.hdr, d.data, d.len, d.tag) == 0);
	CHECK(memcmp(d.data, want, sizeof(want)) == 0);
	return 0;
}

static int test_forged_tag_is_rejected_and_window_unchanged(void)
{
	struct pktpool_vpn_sender s = { .id = 7 };
	struct pktpool_vpn_replay w;
	struct datagram d, bad;

	pktpool_vpn_replay_init(&w, 0);
	CHECK(seal(&s, NOW, 100, &d) == 0);
	bad = d;
	bad.tag[5] ^= 0x01;
	CHECK(receive(&w, &bad) == -EBADMSG);
	CHECK(!w.any);
	/* The genuine one still passes: the forgery did not burn its counter. */
	CHECK(receive(&w, &d) == 0);
	return 0;
}

static int test_forged_ciphertext_is_rejected(void)
{
	struct pktpool_vpn_sender s = { .id = 7 };
	struct pktpool_vpn_replay w;
	struct datagram d;

	pktpool_vpn_replay_init(&w, 0);
	CHECK(seal(&s, NOW, 100, &d) == 0);
	d.data[99] ^= 0x80;
	CHECK(receive(&w, &d) == -EBADMSG);
	return 0;
}

static int test_header_is_authenticated(void)
{
	struct pktpool_vpn_sender s = { .id = 7 };
	struct pktpool_vpn_replay w;
	struct datagram d, bad;

	pktpool_vpn_replay_init(&w, 0);
	CHECK(seal(&s, NOW, 64, &d) == 0);
	bad = d;
	bad.hdr[15] ^= 1;		/* another counter */
	CHECK(receive(&w, &bad) == -EBADMSG);
	bad = d;
	bad.hdr[7] ^= 1;		/* another sender id */
	CHECK(receive(&w, &bad) == -EBADMSG);
	return 0;
}

static int test_other_key_is_rejected(void)
{
	struct pktpool_vpn_sender s = { .id = 7 };
	uint8_t other[PKTPOOL_VPN_KEY_LEN];
	struct datagram d;

	memcpy(other, key, sizeof(other));
	other[31] ^= 1;
	CHECK(seal(&s, NOW, 64, &d) == 0);
	CHECK(pktpool_vpn_open(other, d.hdr, d.data, d.len, d.tag) == -EBADMSG);
	return 0;
}

static int test_bad_header_is_refused_before_crypto(void)
{
	struct pktpool_vpn_sender s = { .id = 7 };
	struct pktpool_vpn_replay w;
	struct datagram d, bad;

	pktpool_vpn_replay_init(&w, 0);
	CHECK(seal(&s, NOW, 64, &d) == 0);
	bad = d;
	bad.hdr[0] = 2;
	CHECK(receive(&w, &bad) == -EPROTO);
	bad = d;
	bad.hdr[2] = 1;
	CHECK(receive(&w, &bad) == -EPROTO);
	bad = d;
	memset(bad.hdr + 4, 0, 4);	/* sender id 0 */
	CHECK(receive(&w, &bad) == -EPROTO);
	CHECK(receive(&w, &d) == 0);
	return 0;
}

static int test_seal_refuses_sender_id_zero(void)
{
	struct pktpool_vpn_sender s = { .id = 0 };
	struct datagram d;

	CHECK(seal(&s, NOW, 64, &d) == -EINVAL);
	return 0;
}

static int test_replayed_datagram_is_rejected(void)
{
	struct pktpool_vpn_sender s = { .id = 9 };
	struct pktpool_vpn_replay w;
	struct datagram d;

	pktpool_vpn_replay_init(&w, 0);
	CHECK(seal(&s, NOW, 200, &d) == 0);
	CHECK(receive(&w, &d) == 0);
	CHECK(receive(&w, &d) == -EALREADY);
	CHECK(receive(&w, &d) == -EALREADY);
	return 0;
}

static int test_reordered_datagrams_within_window_are_accepted_once(void)
{
	struct pktpool_vpn_sender s = { .id = 9 };
	struct pktpool_vpn_replay w;
	struct datagram d[5];
	int i;

	pktpool_vpn_replay_init(&w, 0);
	for (i = 0; i < 5; i++)
		CHECK(seal(&s, NOW + (uint64_t)i * 100, 60, &d[i]) == 0);
	CHECK(receive(&w, &d[4]) == 0);
	CHECK(receive(&w, &d[1]) == 0);
	CHECK(receive(&w, &d[3]) == 0);
	CHECK(receive(&w, &d[0]) == 0);
	CHECK(receive(&w, &d[1]) == -EALREADY);
	CHECK(receive(&w, &d[2]) == 0);
	for (i = 0; i < 5; i++)
		CHECK(receive(&w, &d[i]) == -EALREADY);
	return 0;
}

static int test_window_edge_is_960_behind_the_top(void)
{
	struct pktpool_vpn_replay w;
	uint64_t top = 100000;

	pktpool_vpn_replay_init(&w, 0);
	pktpool_vpn_replay_update(&w, top);
	CHECK(pktpool_vpn_replay_check(&w, top - (PKTPOOL_VPN_WINDOW_SPAN - 1)) == 0);
	CHECK(pktpool_vpn_replay_check(&w, top - PKTPOOL_VPN_WINDOW_SPAN) == -ESTALE);
	CHECK(pktpool_vpn_replay_check(&w, 0) == -ESTALE);
	CHECK(pktpool_vpn_replay_check(&w, top) == -EALREADY);
	CHECK(pktpool_vpn_replay_check(&w, top + 1) == 0);
	return 0;
}

static int test_window_slides_and_forgets_old_bits(void)
{
	struct pktpool_vpn_replay w;
	uint64_t first = 64 * 3 + 7, i;

	pktpool_vpn_replay_init(&w, 0);
	for (i = first; i < first + 10; i++)
		pktpool_vpn_replay_update(&w, i);
	CHECK(pktpool_vpn_replay_check(&w, first + 5) == -EALREADY);
	/* A jump of one word more than the ring: first's word is reused. */
	pktpool_vpn_replay_update(&w, first + PKTPOOL_VPN_WINDOW_BITS + 64);
	CHECK(pktpool_vpn_replay_check(&w, first + 5) == -ESTALE);
	/* Same ring word and bit as first + 5, never seen: new. */
	CHECK(pktpool_vpn_replay_check(&w, first + 5 + PKTPOOL_VPN_WINDOW_BITS) == 0);
	/* Step by step across many words: each step keeps the last 960. */
	for (i = 0; i < 5000; i += 3) {
		uint64_t c = 10000 + i;

		CHECK(pktpool_vpn_replay_check(&w, c) == 0);
		pktpool_vpn_replay_update(&w, c);
		CHECK(pktpool_vpn_replay_check(&w, c) == -EALREADY);
		if (i >= 900)
			CHECK(pktpool_vpn_replay_check(&w, c - 900) == -EALREADY);
		if (i >= 901)
			CHECK(pktpool_vpn_replay_check(&w, c - 901) == 0);
	}
	return 0;
}

static int test_huge_jump_clears_the_whole_window(void)
{
	struct pktpool_vpn_replay w;
	uint64_t i, top = UINT64_MAX - 5;

	pktpool_vpn_replay_init(&w, 0);
	for (i = 1000; i < 1000 + PKTPOOL_VPN_WINDOW_BITS; i++)
		pktpool_vpn_replay_update(&w, i);
	pktpool_vpn_replay_update(&w, top);
	for (i = 1; i < PKTPOOL_VPN_WINDOW_SPAN; i++)
		CHECK(pktpool_vpn_replay_check(&w, top - i) == 0);
	CHECK(pktpool_vpn_replay_check(&w, top) == -EALREADY);
	CHECK(pktpool_vpn_replay_check(&w, UINT64_MAX) == 0);
	return 0;
}

static int test_fresh_window_refuses_counters_below_its_floor(void)
{
	struct pktpool_vpn_sender s = { .id = 3 };
	struct pktpool_vpn_replay w;
	struct datagram old, cur;

	pktpool_vpn_replay_init(&w, pktpool_vpn_floor(SEC));
	CHECK(pktpool_vpn_floor(SEC) ==
	      (SEC - PKTPOOL_VPN_MAX_AGE_S) << PKTPOOL_VPN_SEC_SHIFT);
	CHECK(seal(&s, pktpool_vpn_floor(SEC) - 1, 64, &old) == 0);
	CHECK(seal(&s, NOW, 64, &cur) == 0);
	CHECK(receive(&w, &old) == -ESTALE);
	CHECK(receive(&w, &cur) == 0);
	return 0;
}

static int test_forged_high_counter_does_not_slide_the_window(void)
{
	struct pktpool_vpn_sender s = { .id = 3 };
	struct pktpool_vpn_sender evil = { .id = 3 };
	struct pktpool_vpn_replay w;
	struct datagram a, b, f;

	pktpool_vpn_replay_init(&w, 0);
	CHECK(seal(&s, NOW, 64, &a) == 0);
	CHECK(seal(&s, NOW + 1, 64, &b) == 0);
	CHECK(receive(&w, &b) == 0);
	CHECK(seal(&evil, NOW + 1000000, 64, &f) == 0);
	f.tag[0] ^= 1;
	CHECK(receive(&w, &f) == -EBADMSG);
	CHECK(w.top == NOW + 1);
	CHECK(receive(&w, &a) == 0);
	return 0;
}

static int test_counter_never_wraps(void)
{
	struct pktpool_vpn_sender s = { .id = 1, .last = UINT64_MAX - 1,
					.used = true };
	struct datagram d;
	uint8_t copy[64];
	uint64_t c;

	CHECK(pktpool_vpn_next_counter(&s, 5, &c) == 0 && c == UINT64_MAX);
	CHECK(pktpool_vpn_next_counter(&s, 5, &c) == -EOVERFLOW);
	CHECK(pktpool_vpn_next_counter(&s, UINT64_MAX, &c) == -EOVERFLOW);
	fill_packet(d.data, 64, 1);
	memcpy(copy, d.data, 64);
	CHECK(pktpool_vpn_seal(key, &s, 5, d.data, 64, d.hdr, d.tag) ==
	      -EOVERFLOW);
	CHECK(memcmp(copy, d.data, 64) == 0);	/* left alone */
	CHECK(s.last == UINT64_MAX);
	return 0;
}

static int test_counters_rise_when_the_clock_stands_still_or_goes_back(void)
{
	struct pktpool_vpn_sender s = { .id = 1 };
	uint64_t c, prev = 0;
	int i;

	for (i = 0; i < 100; i++) {
		CHECK(pktpool_vpn_next_counter(&s, i < 50 ? NOW : NOW - 1000000,
					       &c) == 0);
		if (i)
			CHECK(c == prev + 1);
		prev = c;
	}
	/* The clock moves on: the counter follows it. */
	CHECK(pktpool_vpn_next_counter(&s, NOW + 5000, &c) == 0 &&
	      c == NOW + 5000);
	return 0;
}

static int test_restarted_sender_starts_above_its_last_second(void)
{
	struct pktpool_vpn_sender old = { .id = 1 }, s;
	uint64_t c, last = 0;
	int i;

	/* A run that sent 1000 packets in second SEC, after a jump. */
	for (i = 0; i < 1000; i++)
		CHECK(pktpool_vpn_next_counter(&old, NOW, &last) == 0);
	pktpool_vpn_sender_start(&s, 2, SEC, 0);
	CHECK(pktpool_vpn_next_counter(&s, NOW, &c) == 0 && c > last);
	pktpool_vpn_sender_start(&s, 2, SEC, UINT32_MAX);
	CHECK(pktpool_vpn_next_counter(&s, NOW, &c) == 0 && c > last);
	CHECK(c < ((SEC + 2) << PKTPOOL_VPN_SEC_SHIFT));
	/* The next second's clock does not move it back. */
	CHECK(pktpool_vpn_next_counter(&s, NOW + (1ULL << 32), &c) == 0 &&
	      c > ((SEC + 1) << PKTPOOL_VPN_SEC_SHIFT));
	/* A run of consecutive packets has consecutive counters. */
	for (i = 0; i < 10; i++) {
		uint64_t prev = c;

		CHECK(pktpool_vpn_next_counter(&s, NOW, &c) == 0 && c == prev + 1);
	}
	return 0;
}

static int test_tag_split_between_slot_and_tail_is_reassembled(void)
{
	struct pktpool_vpn_sender s = { .id = 5 };
	const size_t room = 1024;
	size_t lens[] = { 1, 500, room - 16, room - 15, room - 1, room }, i;
	uint8_t slot[1024], tail[17], tag[16];
	struct datagram d;
	size_t in_slot;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t len = lens[i];

		CHECK(seal(&s, NOW + i, len, &d) == 0);
		/* What recvmmsg() scatters: the packet, then its tag, over
		 * the slot's room and the tail. */
		memset(slot, 0xaa, sizeof(slot));
		memset(tail, 0xbb, sizeof(tail));
		memcpy(slot, d.data, len);
		in_slot = room - len < 16 ? room - len : 16;
		memcpy(slot + len, d.tag, in_slot);
		memcpy(tail, d.tag + in_slot, 16 - in_slot);
		pktpool_vpn_tag_gather(slot, room, len, tail, tag);
		CHECK(memcmp(tag, d.tag, 16) == 0);
		CHECK(pktpool_vpn_open(key, d.hdr, slot, len, tag) == 0);
	}
	return 0;
}

/* Key files */

static int write_key_file(const char *name, const void *buf, size_t len,
			  mode_t mode, char *path, size_t size)
{
	int fd;

	snprintf(path, size, "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, buf, len) != (ssize_t)len || fchmod(fd, mode)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int load(const char *name, const void *buf, size_t len, mode_t mode,
		uint8_t **k)
{
	char path[512], why[160];
	int err;

	if (write_key_file(name, buf, len, mode, path, sizeof(path)))
		return -1000;
	err = pktpool_vpn_key_load(path, k, why, sizeof(why));
	unlink(path);
	if (err)
		printf("# %s: %s\n", name, why);
	return err;
}

static int test_key_file_raw_32_bytes_is_read(void)
{
	uint8_t *k;

	CHECK(load("vpnk-raw", key, sizeof(key), 0600, &k) == 0);
	CHECK(memcmp(k, key, sizeof(key)) == 0);
	sodium_free(k);
	return 0;
}

static int test_key_file_64_hex_digits_and_newline_are_read(void)
{
	char hex[2 * PKTPOOL_VPN_KEY_LEN + 2];
	uint8_t *k;

	sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
	CHECK(load("vpnk-hex", hex, 64, 0400, &k) == 0);
	CHECK(memcmp(k, key, sizeof(key)) == 0);
	sodium_free(k);
	hex[64] = '\n';
	CHECK(load("vpnk-hexnl", hex, 65, 0640, &k) == 0);
	CHECK(memcmp(k, key, sizeof(key)) == 0);
	sodium_free(k);
	return 0;
}

static int test_key_file_others_may_read_is_refused(void)
{
	uint8_t *k = NULL;

	CHECK(load("vpnk-world", key, sizeof(key), 0604, &k) == -EPERM);
	CHECK(k == NULL);
	CHECK(load("vpnk-worldw", key, sizeof(key), 0602, &k) == -EPERM);
	CHECK(load("vpnk-644", key, sizeof(key), 0644, &k) == -EPERM);
	return 0;
}

static int test_key_file_bad_contents_are_refused(void)
{
	uint8_t zero[32] = { 0 }, k33[33], *k = NULL;
	char hex[80];

	memcpy(k33, key, sizeof(key));
	k33[32] = '\n';
	CHECK(load("vpnk-31", key, 31, 0600, &k) == -EINVAL);
	CHECK(load("vpnk-33", k33, 33, 0600, &k) == -EINVAL);
	CHECK(load("vpnk-empty", key, 0, 0600, &k) == -EINVAL);
	CHECK(load("vpnk-zero", zero, sizeof(zero), 0600, &k) == -EINVAL);
	memset(hex, 'a', sizeof(hex));
	hex[10] = 'g';
	CHECK(load("vpnk-badhex", hex, 64, 0600, &k) == -EINVAL);
	CHECK(load("vpnk-63hex", hex + 11, 63, 0600, &k) == -EINVAL);
	CHECK(load("vpnk-long", hex, 70, 0600, &k) == -EINVAL);
	hex[64] = ' ';
	CHECK(load("vpnk-hexsp", hex + 11, 65, 0600, &k) == -EINVAL);
	CHECK(k == NULL);
	return 0;
}

static int test_key_file_missing_or_not_regular_is_refused(void)
{
	char path[512], why[160];
	uint8_t *k = NULL;

	snprintf(path, sizeof(path), "%s/vpnk-does-not-exist", dir);
	CHECK(pktpool_vpn_key_load(path, &k, why, sizeof(why)) == -ENOENT);
	CHECK(pktpool_vpn_key_load(dir, &k, why, sizeof(why)) == -EINVAL);
	CHECK(k == NULL);
	return 0;
}

/* The slot table */

static int test_slot_table_hands_out_each_slot_once(void)
{
	struct pktpool_vpn_slots s;
	uint32_t seen[8] = { 0 }, x, i;

	CHECK(pktpool_vpn_slots_init(&s, 8) == 0);
	for (i = 0; i < 8; i++) {
		CHECK(pktpool_vpn_slot_take(&s, &x) == 0);
		CHECK(x < 8 && !seen[x]);
		seen[x] = 1;
	}
	CHECK(pktpool_vpn_slot_take(&s, &x) == -ENOBUFS);
	pktpool_vpn_slots_destroy(&s);
	return 0;
}

static int test_slot_table_refuses_slots_the_kernel_never_had(void)
{
	struct pktpool_vpn_slots s;
	uint32_t a, b;

	CHECK(pktpool_vpn_slots_init(&s, 4) == 0);
	CHECK(pktpool_vpn_slot_take(&s, &a) == 0);
	CHECK(pktpool_vpn_slot_take(&s, &b) == 0);
	CHECK(pktpool_vpn_slot_from_kernel(&s, a) == -EINVAL);	/* held */
	CHECK(pktpool_vpn_slot_from_kernel(&s, 3) == -EINVAL);	/* free */
	CHECK(pktpool_vpn_slot_from_kernel(&s, 4) == -EINVAL);	/* range */
	CHECK(pktpool_vpn_slot_from_kernel(&s, UINT32_MAX) == -EINVAL);
	CHECK(pktpool_vpn_slot_to_kernel(&s, a) == 0);
	CHECK(pktpool_vpn_slot_to_kernel(&s, a) == -EINVAL);	/* twice */
	CHECK(pktpool_vpn_slot_from_kernel(&s, a) == 0);
	CHECK(pktpool_vpn_slot_from_kernel(&s, a) == -EINVAL);	/* twice */
	CHECK(pktpool_vpn_slot_put(&s, a) == 0);
	CHECK(pktpool_vpn_slot_put(&s, a) == -EINVAL);		/* twice */
	CHECK(pktpool_vpn_slot_put(&s, 9) == -EINVAL);
	CHECK(s.nfree == 3);
	pktpool_vpn_slots_destroy(&s);
	return 0;
}

/* The counters' report */

static int test_stats_are_key_value_lines(void)
{
	struct pktpool_vpn_stats st = { 0 };
	char path[512], buf[4096];
	ssize_t n;
	int fd;

	st.forged = 3;
	st.replayed = 4;
	st.fill_slots = 12345678901234ULL;
	snprintf(path, sizeof(path), "%s/vpn-stats", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(pktpool_vpn_stats_write(fd, &st, "exit") == 0);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	unlink(path);
	CHECK(n > 0);
	buf[n] = '\0';
	CHECK(!strncmp(buf, "state=exit\n", 11));
	CHECK(strstr(buf, "\nforged=3\n") && strstr(buf, "\nreplayed=4\n"));
	CHECK(strstr(buf, "\nfill_slots=12345678901234\n"));
	CHECK(strstr(buf, "\ntoo_old=0\n") && strstr(buf, "\nbad_source=0\n"));
	CHECK(n >= 2 && buf[n - 1] == '\n' && buf[n - 2] == '\n');
	return 0;
}

#define T(name) { #name, test_##name }

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	T(seal_then_open_restores_the_packet_in_place),
	T(forged_tag_is_rejected_and_window_unchanged),
	T(forged_ciphertext_is_rejected),
	T(header_is_authenticated),
	T(other_key_is_rejected),
	T(bad_header_is_refused_before_crypto),
	T(seal_refuses_sender_id_zero),
	T(replayed_datagram_is_rejected),
	T(reordered_datagrams_within_window_are_accepted_once),
	T(window_edge_is_960_behind_the_top),
	T(window_slides_and_forgets_old_bits),
	T(huge_jump_clears_the_whole_window),
	T(fresh_window_refuses_counters_below_its_floor),
	T(forged_high_counter_does_not_slide_the_window),
	T(counter_never_wraps),
	T(counters_rise_when_the_clock_stands_still_or_goes_back),
	T(restarted_sender_starts_above_its_last_second),
	T(tag_split_between_slot_and_tail_is_reassembled),
	T(key_file_raw_32_bytes_is_read),
	T(key_file_64_hex_digits_and_newline_are_read),
	T(key_file_others_may_read_is_refused),
	T(key_file_bad_contents_are_refused),
	T(key_file_missing_or_not_regular_is_refused),
	T(slot_table_hands_out_each_slot_once),
	T(slot_table_refuses_slots_the_kernel_never_had),
	T(stats_are_key_value_lines),
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc > 1)
		dir = argv[1];
	if (pktpool_vpn_crypto_init()) {
		printf("Bail out! libsodium does not initialise\n");
		return 1;
	}
	printf("TAP version 13\n");
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int bad = tests[i].fn();

		nr++;
		failed += bad;
		printf("%sok %d - %s\n", bad ? "not " : "", nr, tests[i].name);
	}
	printf("1..%d\n", nr);
	return failed ? 1 : 0;
}
