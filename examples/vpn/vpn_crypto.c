// SPDX-License-Identifier: MIT
/*
 * The wire format (see vpn.h) and the AEAD, in place: the packet's bytes
 * become the ciphertext where they lie (in the region's slot), and the
 * 16-byte header and the tag travel in buffers of their own, joined to
 * the slot's bytes by sendmsg()'s iovecs. So a packet needs no headroom
 * or tailroom in its slot and nothing is moved: a packet the device put
 * at offset 0 of its slot is encrypted where it is.
 *
 * libsodium's detached calls allow the output to be the input. The tag
 * is checked over the ciphertext before anything is decrypted.
 */
#include <errno.h>
#include <string.h>
#include <sodium.h>

#include "vpn.h"

_Static_assert(crypto_aead_chacha20poly1305_ietf_KEYBYTES ==
	       PKTPOOL_VPN_KEY_LEN, "key size");
_Static_assert(crypto_aead_chacha20poly1305_ietf_ABYTES ==
	       PKTPOOL_VPN_TAG_LEN, "tag size");
_Static_assert(crypto_aead_chacha20poly1305_ietf_NPUBBYTES ==
	       PKTPOOL_VPN_HDR_LEN - 4, "the nonce is the header's last 12 bytes");

int pktpool_vpn_crypto_init(void)
{
	return sodium_init() < 0 ? -ENOSYS : 0;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/*
 * A sender's first counter: above every counter of the second sec (see
 * vpn.h), at offset (random, below 2^31) into the next one.
 */
void pktpool_vpn_sender_start(struct pktpool_vpn_sender *s, uint32_t id,
			      uint64_t sec, uint32_t offset)
{
	s->id = id;
	s->last = ((sec + 1) << PKTPOOL_VPN_SEC_SHIFT) + (offset & 0x7fffffffu);
	s->used = true;
}

/* The oldest counter a fresh receiver takes at second sec. */
uint64_t pktpool_vpn_floor(uint64_t sec)
{
	return sec > PKTPOOL_VPN_MAX_AGE_S ?
	       (sec - PKTPOOL_VPN_MAX_AGE_S) << PKTPOOL_VPN_SEC_SHIFT : 0;
}

/*
 * The counter for the next packet: one more than the last, or now when
 * that is higher. -EOVERFLOW once every counter is spent: a counter
 * never wraps, so a nonce is never used twice.
 */
int pktpool_vpn_next_counter(struct pktpool_vpn_sender *s, uint64_t now,
			     uint64_t *ctr)
{
	uint64_t c = now;

	if (s->used) {
		if (s->last == UINT64_MAX)
			return -EOVERFLOW;
		if (c <= s->last)
			c = s->last + 1;
	}
	s->last = c;
	s->used = true;
	*ctr = c;
	return 0;
}

/* Encrypt len bytes at data in place; fill hdr and tag. */
int pktpool_vpn_seal(const uint8_t *key, struct pktpool_vpn_sender *s,
		     uint64_t now, uint8_t *data, size_t len,
		     uint8_t hdr[PKTPOOL_VPN_HDR_LEN],
		     uint8_t tag[PKTPOOL_VPN_TAG_LEN])
{
	unsigned long long taglen;
	uint64_t ctr;
	int err;

	if (!s->id)
		return -EINVAL;
	err = pktpool_vpn_next_counter(s, now, &ctr);
	if (err)
		return err;
	hdr[0] = PKTPOOL_VPN_TYPE_DATA;
	hdr[1] = hdr[2] = hdr[3] = 0;
	put_be32(hdr + 4, s->id);
	put_be64(hdr + 8, ctr);
	crypto_aead_chacha20poly1305_ietf_encrypt_detached(data, tag, &taglen,
							   data, len, hdr,
							   PKTPOOL_VPN_HDR_LEN,
							   NULL, hdr + 4, key);
	return 0;
}

/* -EPROTO for a type we do not know or reserved bytes set. */
int pktpool_vpn_parse_hdr(const uint8_t hdr[PKTPOOL_VPN_HDR_LEN],
			  uint32_t *id, uint64_t *ctr)
{
	if (hdr[0] != PKTPOOL_VPN_TYPE_DATA || hdr[1] || hdr[2] || hdr[3])
		return -EPROTO;
	*id = get_be32(hdr + 4);
	*ctr = (uint64_t)get_be32(hdr + 8) << 32 | get_be32(hdr + 12);
	return *id ? 0 : -EPROTO;
}

/* Check the tag, then decrypt in place; -EBADMSG when it does not match. */
int pktpool_vpn_open(const uint8_t *key,
		     const uint8_t hdr[PKTPOOL_VPN_HDR_LEN], uint8_t *data,
		     size_t len, const uint8_t tag[PKTPOOL_VPN_TAG_LEN])
{
	if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(data, NULL,
							       data, len, tag,
							       hdr,
							       PKTPOOL_VPN_HDR_LEN,
							       hdr + 4, key))
		return -EBADMSG;
	return 0;
}

/*
 * A datagram received as [header | room bytes at pkt | tail]: the tag of
 * its len-byte packet, partly behind the packet in pkt, the rest at the
 * start of tail. len <= room.
 */
void pktpool_vpn_tag_gather(const uint8_t *pkt, size_t room, size_t len,
			    const uint8_t *tail,
			    uint8_t tag[PKTPOOL_VPN_TAG_LEN])
{
	size_t in_pkt = room - len;

	if (in_pkt > PKTPOOL_VPN_TAG_LEN)
		in_pkt = PKTPOOL_VPN_TAG_LEN;
	memcpy(tag, pkt + len, in_pkt);
	memcpy(tag + in_pkt, tail, PKTPOOL_VPN_TAG_LEN - in_pkt);
}

/*
 * One datagram's way in: header, replay check, tag and decryption, then
 * the window. 0 with the plaintext in data; -EPROTO bad header, -ESTALE
 * too old, -EALREADY replayed, -EBADMSG forged. *sender: the header's id.
 */
int pktpool_vpn_receive(const uint8_t *key, struct pktpool_vpn_replay *w,
			const uint8_t hdr[PKTPOOL_VPN_HDR_LEN], uint8_t *data,
			size_t len, const uint8_t tag[PKTPOOL_VPN_TAG_LEN],
			uint32_t *sender)
{
	uint64_t ctr;
	int err;

	err = pktpool_vpn_parse_hdr(hdr, sender, &ctr);
	if (err)
		return err;
	err = pktpool_vpn_replay_check(w, ctr);
	if (err)
		return err;
	err = pktpool_vpn_open(key, hdr, data, len, tag);
	if (err)
		return err;
	pktpool_vpn_replay_update(w, ctr);
	return 0;
}
