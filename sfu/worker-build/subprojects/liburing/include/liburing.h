/*
 * liburing 2.4+ API bits mediasoup 3.19 uses, on top of Debian's liburing 2.3.
 * Found first via the subproject's include dir; #include_next pulls in the
 * real header from /usr/include.
 */
#ifndef MS_COMPAT_LIBURING_H
#define MS_COMPAT_LIBURING_H

#include_next <liburing.h>

/* liburing >= 2.4 ships liburing/io_uring_version.h defining these. */
#ifndef IO_URING_VERSION_MAJOR

static inline int io_uring_major_version(void) { return 2; }
static inline int io_uring_minor_version(void) { return 3; }

/* Same as liburing 2.4's definition. */
static inline void io_uring_prep_sendto(struct io_uring_sqe* sqe, int sockfd, const void* buf,
  size_t len, int flags, const struct sockaddr* addr, socklen_t addrlen)
{
	io_uring_prep_send(sqe, sockfd, buf, len, flags);
	io_uring_prep_send_set_addr(sqe, addr, addrlen);
}

#endif /* IO_URING_VERSION_MAJOR */

#endif
