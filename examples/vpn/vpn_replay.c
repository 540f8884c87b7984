// SPDX-License-Identifier: MIT
/*
 * The replay window, in the manner of RFC 6479: a ring of 64-bit words
 * instead of one long bitmap shifted on every new top, so advancing
 * costs at most one cleared word per word skipped and nothing per
 * packet. The receiver checks a counter before it spends a decryption
 * on it and records it only once the tag proved it genuine, so forged
 * packets can neither move the window nor burn counters.
 */
#include <errno.h>
#include <string.h>

#include "vpn.h"

void pktpool_vpn_replay_init(struct pktpool_vpn_replay *w, uint64_t floor)
{
	memset(w, 0, sizeof(*w));
	w->floor = floor;
}

/* 0: new; -EALREADY: seen; -ESTALE: too old to tell. */
int pktpool_vpn_replay_check(const struct pktpool_vpn_replay *w, uint64_t ctr)
{
	uint64_t word;

	if (!w->any)
		return ctr < w->floor ? -ESTALE : 0;
	if (ctr > w->top)
		return 0;
	if (w->top - ctr >= PKTPOOL_VPN_WINDOW_SPAN)
		return -ESTALE;
	word = w->bits[(ctr / 64) % PKTPOOL_VPN_WINDOW_WORDS];
	return word & (1ULL << (ctr % 64)) ? -EALREADY : 0;
}

/* Record ctr, which pktpool_vpn_replay_check() accepted. */
void pktpool_vpn_replay_update(struct pktpool_vpn_replay *w, uint64_t ctr)
{
	uint64_t cur, next, skip, i;

	if (!w->any) {
		w->any = true;
		w->top = ctr;
		memset(w->bits, 0, sizeof(w->bits));
	} else if (ctr > w->top) {
		/* Clear the words between the old top's and the new one's. */
		cur = w->top / 64;
		next = ctr / 64;
		skip = next - cur;
		if (skip > PKTPOOL_VPN_WINDOW_WORDS)
			skip = PKTPOOL_VPN_WINDOW_WORDS;
		for (i = 1; i <= skip; i++)
			w->bits[(cur + i) % PKTPOOL_VPN_WINDOW_WORDS] = 0;
		w->top = ctr;
	}
	w->bits[(ctr / 64) % PKTPOOL_VPN_WINDOW_WORDS] |= 1ULL << (ctr % 64);
}
