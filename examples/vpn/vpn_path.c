// SPDX-License-Identifier: MIT
/*
 * The two packet paths of pktpool-vpn, a batch at a time, no syscall
 * per packet:
 *
 *   device -> peer: descriptors from the rx ring (copied out by
 *   pktpool_rx_peek(), checked by pktpool_rx_data() and against the slot
 *   table), each packet encrypted in place in its slot and sent with one
 *   sendmmsg() whose messages are three iovecs each: a private header,
 *   the slot's bytes, a private tag. The slots go back on the free stack.
 *
 *   peer -> device: recvmmsg() into free slots, each datagram scattered
 *   into a private header buffer, the slot, and a private tail for the
 *   tag bytes that do not fit the slot; checked, decrypted in place and
 *   put on the tx ring as {slot, len}; one kick for the batch.
 *
 * Lengths come from the kernel's answers (msg_len, the descriptors'
 * private copies), never from the region. A slot whose tx descriptor the
 * kernel took is the kernel's again, as if put on the fill ring.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/uio.h>
#include <sodium.h>

#include "vpn_path.h"

#define VPN_TAIL	(PKTPOOL_VPN_TAG_LEN + 1)	/* one more: too long */

/* The clock as counters count it (see vpn.h). */
static uint64_t counter_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec << PKTPOOL_VPN_SEC_SHIFT;
}

static bool same_addr(const struct sockaddr_storage *a, socklen_t alen,
		      const struct sockaddr_storage *b, socklen_t blen)
{
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;

	if (alen != blen || a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return alen >= sizeof(*a4) && a4->sin_port == b4->sin_port &&
		       a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return alen >= sizeof(*a6) && a6->sin6_port == b6->sin6_port &&
		       !memcmp(&a6->sin6_addr, &b6->sin6_addr,
			       sizeof(a6->sin6_addr));
	return false;
}

/* Send m[0..n): blocking, so a full socket buffer slows us down. */
static void send_all(struct pktpool_vpn *v, struct mmsghdr *m, unsigned int n)
{
	unsigned int done = 0, i;
	int r;

	while (done < n) {
		r = sendmmsg(v->sock, m + done, n - done, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* This one failed (EMSGSIZE, unreachable): skip it. */
			v->st.send_dropped++;
			done++;
			continue;
		}
		for (i = 0; i < (unsigned int)r; i++) {
			v->st.sent++;
			v->st.sent_bytes += m[done + i].msg_len;
		}
		done += (unsigned int)r;
	}
}

int pktpool_vpn_from_dev(struct pktpool_vpn *v)
{
	struct pktpool_ring_desc d[PKTPOOL_VPN_BATCH];
	struct mmsghdr m[PKTPOOL_VPN_BATCH];
	struct iovec iov[PKTPOOL_VPN_BATCH][3];
	uint8_t hdr[PKTPOOL_VPN_BATCH][PKTPOOL_VPN_HDR_LEN];
	uint8_t tag[PKTPOOL_VPN_BATCH][PKTPOOL_VPN_TAG_LEN];
	uint32_t held[PKTPOOL_VPN_BATCH];
	unsigned int nh = 0, nm = 0, i;
	uint64_t now;
	uint8_t *pkt;
	int n;

	n = pktpool_rx_peek(&v->rings, d, PKTPOOL_VPN_BATCH);
	if (n <= 0)
		return n;
	now = counter_now();
	for (i = 0; i < (unsigned int)n; i++) {
		/* Only a slot the kernel had can come from it. */
		if (pktpool_vpn_slot_from_kernel(&v->slots, d[i].slot)) {
			v->st.dev_invalid++;
			continue;
		}
		held[nh++] = d[i].slot;
		if (d[i].flags & PKTPOOL_DESC_F_RETURNED) {
			v->st.dev_returned++;
			continue;
		}
		pkt = pktpool_rx_data(&v->rings, &d[i]);
		if (!pkt || !d[i].len) {
			v->st.dev_invalid++;
			continue;
		}
		v->st.dev_packets++;
		v->st.dev_bytes += d[i].len;
		if (pktpool_vpn_seal(v->key, &v->tx, now, pkt, d[i].len,
				     hdr[nm], tag[nm])) {
			v->st.counter_exhausted++;
			continue;
		}
		iov[nm][0] = (struct iovec){ hdr[nm], PKTPOOL_VPN_HDR_LEN };
		iov[nm][1] = (struct iovec){ pkt, d[i].len };
		iov[nm][2] = (struct iovec){ tag[nm], PKTPOOL_VPN_TAG_LEN };
		memset(&m[nm], 0, sizeof(m[nm]));
		m[nm].msg_hdr.msg_name = &v->peer;
		m[nm].msg_hdr.msg_namelen = v->peer_len;
		m[nm].msg_hdr.msg_iov = iov[nm];
		m[nm].msg_hdr.msg_iovlen = 3;
		nm++;
	}
	pktpool_rx_release(&v->rings, (unsigned int)n);
	send_all(v, m, nm);
	for (i = 0; i < nh; i++)
		pktpool_vpn_slot_put(&v->slots, held[i]);
	return n;
}

/*
 * One received datagram of n bytes in hdr, the slot at pkt and tail: 0
 * with the packet's length in *len, or -1 (counted) to drop it.
 */
static int take_datagram(struct pktpool_vpn *v, const struct mmsghdr *m,
			 const uint8_t *hdr, uint8_t *pkt, const uint8_t *tail,
			 uint32_t *len)
{
	uint8_t tag[PKTPOOL_VPN_TAG_LEN];
	size_t n = m->msg_len, ct;
	uint32_t sender;
	int err;

	if (!same_addr(m->msg_hdr.msg_name, m->msg_hdr.msg_namelen,
		       &v->peer, v->peer_len)) {
		v->st.bad_source++;
		return -1;
	}
	/* At least one byte of packet; all of it within the slot. */
	if ((m->msg_hdr.msg_flags & MSG_TRUNC) ||
	    n <= PKTPOOL_VPN_OVERHEAD ||
	    n - PKTPOOL_VPN_OVERHEAD > v->rings.slot_size) {
		v->st.bad_size++;
		return -1;
	}
	ct = n - PKTPOOL_VPN_OVERHEAD;
	/* A private copy of the tag, from behind the packet and the tail. */
	pktpool_vpn_tag_gather(pkt, v->rings.slot_size, ct, tail, tag);

	err = pktpool_vpn_receive(v->key, &v->rx, hdr, pkt, ct, tag, &sender);
	switch (err) {
	case 0:
		break;
	case -EPROTO:
		v->st.bad_header++;
		return -1;
	case -ESTALE:
		v->st.too_old++;
		return -1;
	case -EALREADY:
		v->st.replayed++;
		return -1;
	default:
		v->st.forged++;
		return -1;
	}
	/* Both ends picked the same random id: take another, so that the
	 * two directions never share a nonce. */
	while (sender == v->tx.id) {
		v->st.id_collisions++;
		randombytes_buf(&v->tx.id, sizeof(v->tx.id));
	}
	*len = (uint32_t)ct;
	return 0;
}

int pktpool_vpn_from_peer(struct pktpool_vpn *v)
{
	struct mmsghdr m[PKTPOOL_VPN_BATCH];
	struct iovec iov[PKTPOOL_VPN_BATCH][3];
	uint8_t hdr[PKTPOOL_VPN_BATCH][PKTPOOL_VPN_HDR_LEN];
	uint8_t tail[PKTPOOL_VPN_BATCH][VPN_TAIL];
	struct sockaddr_storage from[PKTPOOL_VPN_BATCH];
	struct pktpool_ring_desc t[PKTPOOL_VPN_BATCH];
	uint32_t slot[PKTPOOL_VPN_BATCH], len;
	unsigned int k = 0, nt = 0, i;
	uint8_t *pkt[PKTPOOL_VPN_BATCH];
	int r, put;

	while (k < PKTPOOL_VPN_BATCH &&
	       !pktpool_vpn_slot_take(&v->slots, &slot[k])) {
		/* From our own table: in range. */
		pkt[k] = pktpool_idx_to_ptr(v->pool, slot[k]);
		iov[k][0] = (struct iovec){ hdr[k], PKTPOOL_VPN_HDR_LEN };
		iov[k][1] = (struct iovec){ pkt[k], v->rings.slot_size };
		iov[k][2] = (struct iovec){ tail[k], VPN_TAIL };
		memset(&m[k], 0, sizeof(m[k]));
		m[k].msg_hdr.msg_name = &from[k];
		m[k].msg_hdr.msg_namelen = sizeof(from[k]);
		m[k].msg_hdr.msg_iov = iov[k];
		m[k].msg_hdr.msg_iovlen = 3;
		k++;
	}
	if (!k) {
		v->st.no_slot++;
		v->starving = true;
		return 0;
	}
	r = recvmmsg(v->sock, m, k, MSG_DONTWAIT, NULL);
	if (r < 0) {
		r = errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
		    errno == ECONNREFUSED ? 0 : -errno;
		for (i = 0; i < k; i++)
			pktpool_vpn_slot_put(&v->slots, slot[i]);
		return r;
	}
	for (i = 0; i < (unsigned int)r; i++) {
		v->st.received++;
		if (take_datagram(v, &m[i], hdr[i], pkt[i], tail[i], &len)) {
			pktpool_vpn_slot_put(&v->slots, slot[i]);
			continue;
		}
		memset(&t[nt], 0, sizeof(t[nt]));
		t[nt].slot = slot[i];
		t[nt].len = len;
		nt++;
	}
	for (i = (unsigned int)r; i < k; i++)
		pktpool_vpn_slot_put(&v->slots, slot[i]);
	if (!nt)
		return r;
	/* Every slot is in one place only: the ring has room for all of
	 * them unless someone else wrote it. */
	put = pktpool_tx_put(&v->rings, t, nt);
	if (put < 0)
		return put;
	for (i = 0; i < nt; i++) {
		if (i < (unsigned int)put) {
			pktpool_vpn_slot_to_kernel(&v->slots, t[i].slot);
			v->st.to_dev++;
			v->st.to_dev_bytes += t[i].len;
		} else {
			pktpool_vpn_slot_put(&v->slots, t[i].slot);
			v->st.tx_full++;
		}
	}
	v->kick = true;
	return r;
}

/* Free slots beyond keep go on the fill ring. */
int pktpool_vpn_fill(struct pktpool_vpn *v)
{
	uint32_t s[PKTPOOL_VPN_BATCH];
	unsigned int n, i;
	int put;

	while (v->slots.nfree > v->keep) {
		n = v->slots.nfree - v->keep;
		if (n > PKTPOOL_VPN_BATCH)
			n = PKTPOOL_VPN_BATCH;
		for (i = 0; i < n; i++)
			pktpool_vpn_slot_take(&v->slots, &s[i]);
		put = pktpool_fill_put(&v->rings, s, n);
		for (i = 0; i < n; i++) {
			if (put > 0 && i < (unsigned int)put)
				pktpool_vpn_slot_to_kernel(&v->slots, s[i]);
			else
				pktpool_vpn_slot_put(&v->slots, s[i]);
		}
		if (put < 0)
			return put;
		v->st.fill_slots += (unsigned int)put;
		if ((unsigned int)put < n)
			break;
	}
	if (v->slots.nfree)
		v->starving = false;
	return 0;
}

/*
 * The kernel reads tx only on a kick; fill only when it asked (it set
 * NEED_WAKEUP because it ran out of slots, with packets staged).
 */
int pktpool_vpn_kick(struct pktpool_vpn *v)
{
	int err;

	if (!v->kick && !pktpool_fill_needs_wakeup(&v->rings))
		return 0;
	v->kick = false;
	err = pktpool_rings_kick(&v->rings);
	if (!err)
		v->st.kicks++;
	/* memfd backend (tests): no kernel to kick, another process plays it */
	return err == -EOPNOTSUPP ? 0 : err;
}
