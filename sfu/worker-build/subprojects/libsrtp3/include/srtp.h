/*
 * libsrtp 3 API shim over Debian's libsrtp 2.5 (mediasoup 3.19 is written
 * against versatica's libsrtp 3 fork, which Debian does not ship).
 *
 * Differences bridged here:
 *  - v3 protect/unprotect take separate in/out buffers and size_t lengths;
 *    v2 works in place with int lengths. We copy the input to the output
 *    buffer (if different) and then run the v2 call in place on it.
 *  - v3 renamed srtp_remove_stream() to srtp_stream_remove().
 *  - v3 added two error codes mediasoup lists in its error-string table.
 */
#ifndef MS_COMPAT_SRTP3_H
#define MS_COMPAT_SRTP3_H

#include <srtp2/srtp.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

/* Error codes that only exist in libsrtp 3 (never returned by v2, except
 * buffer_small which the shims below return themselves). */
#define srtp_err_status_buffer_small ((srtp_err_status_t)28)
#define srtp_err_status_cryptex_err ((srtp_err_status_t)29)

/* Common helper: copy |in| to |out| and check that |out| has room for
 * |in_len| + |extra| bytes (v2 writes its trailer in place). */
static inline srtp_err_status_t ms_srtp3_prepare(
  const uint8_t* in, size_t in_len, uint8_t* out, size_t out_cap, size_t extra)
{
	if (in_len > INT_MAX || out_cap < in_len + extra)
		return srtp_err_status_buffer_small;
	if (out != in)
		memmove(out, in, in_len);
	return srtp_err_status_ok;
}

static inline srtp_err_status_t ms_srtp3_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtp_len, uint8_t* srtp, size_t* srtp_len, size_t mki_index)
{
	(void)mki_index; /* mediasoup always passes 0 (no MKI) */
	srtp_err_status_t err =
	  ms_srtp3_prepare(rtp, rtp_len, srtp, *srtp_len, SRTP_MAX_TRAILER_LEN);
	if (err != srtp_err_status_ok)
		return err;
	int len = (int)rtp_len;
	err     = srtp_protect(ctx, srtp, &len);
	if (err == srtp_err_status_ok)
		*srtp_len = (size_t)len;
	return err;
}

static inline srtp_err_status_t ms_srtp3_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtp_len, uint8_t* rtp, size_t* rtp_len)
{
	srtp_err_status_t err = ms_srtp3_prepare(srtp, srtp_len, rtp, *rtp_len, 0);
	if (err != srtp_err_status_ok)
		return err;
	int len = (int)srtp_len;
	err     = srtp_unprotect(ctx, rtp, &len);
	if (err == srtp_err_status_ok)
		*rtp_len = (size_t)len;
	return err;
}

static inline srtp_err_status_t ms_srtp3_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcp_len, uint8_t* srtcp, size_t* srtcp_len, size_t mki_index)
{
	(void)mki_index;
	/* v2 may write SRTP_MAX_TRAILER_LEN + 4 (SRTCP index) bytes. */
	srtp_err_status_t err =
	  ms_srtp3_prepare(rtcp, rtcp_len, srtcp, *srtcp_len, SRTP_MAX_TRAILER_LEN + 4);
	if (err != srtp_err_status_ok)
		return err;
	int len = (int)rtcp_len;
	err     = srtp_protect_rtcp(ctx, srtcp, &len);
	if (err == srtp_err_status_ok)
		*srtcp_len = (size_t)len;
	return err;
}

static inline srtp_err_status_t ms_srtp3_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcp_len, uint8_t* rtcp, size_t* rtcp_len)
{
	srtp_err_status_t err = ms_srtp3_prepare(srtcp, srtcp_len, rtcp, *rtcp_len, 0);
	if (err != srtp_err_status_ok)
		return err;
	int len = (int)srtcp_len;
	err     = srtp_unprotect_rtcp(ctx, rtcp, &len);
	if (err == srtp_err_status_ok)
		*rtcp_len = (size_t)len;
	return err;
}

static inline srtp_err_status_t ms_srtp3_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}

/* Route the v3 names used by mediasoup to the shims (defined after the
 * shims so their bodies still call the real v2 functions). */
#define srtp_protect ms_srtp3_protect
#define srtp_unprotect ms_srtp3_unprotect
#define srtp_protect_rtcp ms_srtp3_protect_rtcp
#define srtp_unprotect_rtcp ms_srtp3_unprotect_rtcp
#define srtp_stream_remove ms_srtp3_stream_remove

#endif
