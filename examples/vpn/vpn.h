/* SPDX-License-Identifier: MIT */
/*
 * pktpool-vpn: what its parts share. One file per concern:
 *   pktpool-vpn.c  main: options, the region, the socket, the event loop
 *   vpn_path.c     the two packet paths: rx ring -> UDP, UDP -> tx ring
 *   vpn_crypto.c   the wire format: header, ChaCha20-Poly1305, in place
 *   vpn_replay.c   the sliding replay window (RFC 6479 style)
 *   vpn_slots.c    which slots the daemon holds, privately
 *   vpn_key.c      the pre-shared key file
 *   vpn_stats.c    counters as key=value lines
 *
 * Wire format, one UDP datagram per IP packet:
 *   0   u8    type: 1 (data)
 *   1   u8[3] zero
 *   4   be32  sender id: nonzero, random per run of the sender
 *   8   be64  counter: unique per sender id, never reused
 *   16  ...   the IP packet, encrypted (ciphertext is as long as it)
 *   end u8[16] Poly1305 tag
 * The AEAD is ChaCha20-Poly1305 (IETF, 96-bit nonce); the nonce is bytes
 * 4..15 of the header, the associated data the whole 16-byte header.
 */
#ifndef PKTPOOL_VPN_H
#define PKTPOOL_VPN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PKTPOOL_VPN_KEY_LEN	32
#define PKTPOOL_VPN_HDR_LEN	16
#define PKTPOOL_VPN_TAG_LEN	16
#define PKTPOOL_VPN_OVERHEAD	(PKTPOOL_VPN_HDR_LEN + PKTPOOL_VPN_TAG_LEN)
#define PKTPOOL_VPN_TYPE_DATA	1

/*
 * Replay window: 1024 bits in 16 words used as a ring; the word the top
 * counter is in is always current, so counters up to 1024 - 64 = 960
 * behind the top are judged exactly and older ones are "too old".
 */
#define PKTPOOL_VPN_WINDOW_WORDS	16
#define PKTPOOL_VPN_WINDOW_BITS		(PKTPOOL_VPN_WINDOW_WORDS * 64)
#define PKTPOOL_VPN_WINDOW_SPAN		(PKTPOOL_VPN_WINDOW_BITS - 64)

/*
 * Counters: the top 32 bits follow CLOCK_REALTIME's seconds, the rest
 * count packets. Each packet takes one more than the last, or the
 * current second's first counter (seconds << 32) when that is higher,
 * so consecutive packets have consecutive counters (the window means
 * 960 packets) and the counter keeps up with the clock. A sender starts
 * in the next second, at a random offset: a restarted daemon never
 * reuses a counter of an earlier run (unless it restarts within one
 * second, when the random offset and the random sender id keep them
 * apart), so no nonce is used twice under the one pre-shared key. A
 * receiver that starts afresh refuses counters from more than
 * PKTPOOL_VPN_MAX_AGE_S behind its clock: old captures replayed to a
 * new daemon are "too old". The peers' clocks must agree to that much.
 * Packets reordered across a second's jump count as too old.
 */
#define PKTPOOL_VPN_MAX_AGE_S	120
#define PKTPOOL_VPN_SEC_SHIFT	32

struct pktpool_vpn_replay {
	uint64_t top;		/* highest counter accepted */
	uint64_t floor;		/* counters below are too old (fresh window) */
	bool any;		/* top is valid */
	uint64_t bits[PKTPOOL_VPN_WINDOW_WORDS];
};

/* vpn_replay.c: check before decrypting, update only after. */
void pktpool_vpn_replay_init(struct pktpool_vpn_replay *w, uint64_t floor);
int pktpool_vpn_replay_check(const struct pktpool_vpn_replay *w, uint64_t ctr);
void pktpool_vpn_replay_update(struct pktpool_vpn_replay *w, uint64_t ctr);

/* One direction's sending state. */
struct pktpool_vpn_sender {
	uint32_t id;		/* nonzero */
	uint64_t last;		/* last counter used */
	bool used;		/* last is valid */
};

/* vpn_crypto.c; now: the clock's seconds << PKTPOOL_VPN_SEC_SHIFT */
int pktpool_vpn_crypto_init(void);
void pktpool_vpn_sender_start(struct pktpool_vpn_sender *s, uint32_t id,
			      uint64_t sec, uint32_t offset);
uint64_t pktpool_vpn_floor(uint64_t sec);
int pktpool_vpn_next_counter(struct pktpool_vpn_sender *s, uint64_t now,
			     uint64_t *ctr);
int pktpool_vpn_seal(const uint8_t *key, struct pktpool_vpn_sender *s,
		     uint64_t now, uint8_t *data, size_t len,
		     uint8_t hdr[PKTPOOL_VPN_HDR_LEN],
		     uint8_t tag[PKTPOOL_VPN_TAG_LEN]);
int pktpool_vpn_parse_hdr(const uint8_t hdr[PKTPOOL_VPN_HDR_LEN],
			  uint32_t *id, uint64_t *ctr);
int pktpool_vpn_open(const uint8_t *key,
		     const uint8_t hdr[PKTPOOL_VPN_HDR_LEN], uint8_t *data,
		     size_t len, const uint8_t tag[PKTPOOL_VPN_TAG_LEN]);
void pktpool_vpn_tag_gather(const uint8_t *pkt, size_t room, size_t len,
			    const uint8_t *tail,
			    uint8_t tag[PKTPOOL_VPN_TAG_LEN]);
int pktpool_vpn_receive(const uint8_t *key, struct pktpool_vpn_replay *w,
			const uint8_t hdr[PKTPOOL_VPN_HDR_LEN], uint8_t *data,
			size_t len, const uint8_t tag[PKTPOOL_VPN_TAG_LEN],
			uint32_t *sender);

/* vpn_key.c: *key in sodium_malloc'd memory, free with sodium_free. */
int pktpool_vpn_key_load(const char *path, uint8_t **key, char *why,
			 size_t why_size);

/*
 * vpn_slots.c: who has each slot, kept privately (the region's bytes are
 * never trusted): the daemon's free stack, the daemon working on it, or
 * the kernel's (on fill or tx, or being filled).
 */
enum pktpool_vpn_slot_state {
	PKTPOOL_VPN_SLOT_FREE,
	PKTPOOL_VPN_SLOT_HELD,
	PKTPOOL_VPN_SLOT_KERNEL,
};

struct pktpool_vpn_slots {
	uint32_t count;
	uint32_t nfree;
	uint8_t *state;
	uint32_t *free;		/* stack of FREE slots */
};

int pktpool_vpn_slots_init(struct pktpool_vpn_slots *s, uint32_t count);
void pktpool_vpn_slots_destroy(struct pktpool_vpn_slots *s);
int pktpool_vpn_slot_take(struct pktpool_vpn_slots *s, uint32_t *slot);
int pktpool_vpn_slot_put(struct pktpool_vpn_slots *s, uint32_t slot);
int pktpool_vpn_slot_to_kernel(struct pktpool_vpn_slots *s, uint32_t slot);
int pktpool_vpn_slot_from_kernel(struct pktpool_vpn_slots *s, uint32_t slot);

/* vpn_stats.c: every counter, in output order. */
#define PKTPOOL_VPN_COUNTERS(X) \
	X(dev_packets)		/* rx ring: packets from the device */ \
	X(dev_bytes) \
	X(dev_invalid)		/* rx descriptors with a bad slot or length */ \
	X(dev_returned)		/* rx: unused slots the kernel gave back */ \
	X(sent)			/* datagrams sent to the peer */ \
	X(sent_bytes) \
	X(send_dropped)		/* not sent: socket full or an error */ \
	X(counter_exhausted)	/* not sent: no counter left */ \
	X(received)		/* datagrams received */ \
	X(bad_source)		/* not from the peer's address */ \
	X(bad_size)		/* too short, too long or truncated */ \
	X(bad_header)		/* unknown type or reserved bits set */ \
	X(forged)		/* authentication failed */ \
	X(replayed)		/* counter seen before */ \
	X(too_old)		/* counter behind the window */ \
	X(id_collisions)	/* the peer used our sender id: we took another */ \
	X(to_dev)		/* packets put on the tx ring for the device */ \
	X(to_dev_bytes) \
	X(tx_full)		/* dropped: no room on the tx ring */ \
	X(no_slot)		/* times the daemon had no slot to receive into */ \
	X(kicks)		/* PKTPOOL_IOC_REGION_KICK calls */ \
	X(fill_slots)		/* slots put on the fill ring */

struct pktpool_vpn_stats {
#define PKTPOOL_VPN_FIELD(n) uint64_t n;
	PKTPOOL_VPN_COUNTERS(PKTPOOL_VPN_FIELD)
#undef PKTPOOL_VPN_FIELD
};

int pktpool_vpn_stats_write(int fd, const struct pktpool_vpn_stats *st,
			    const char *state);

#endif /* PKTPOOL_VPN_H */
