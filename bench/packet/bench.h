/* Shared by the packet-server load generators: clock, latency histogram, batch buffers, STUN bits.
   Loopback benchmarks only; every loop is bounded by a deadline. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define SLOT 2048
#pragma GCC diagnostic ignored "-Wunused-function"
#define HIST_US 200000 /* latencies up to 200 ms in 1 us buckets; later ones count in the last */

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static uint32_t hist[HIST_US + 1];
static uint64_t hist_count;

static void hist_add(uint64_t ns) {
  uint64_t us = ns / 1000;
  hist[us > HIST_US ? HIST_US : us]++;
  hist_count++;
}

static double hist_pct(double p) {
  uint64_t want = (uint64_t)(p * (double)hist_count), seen = 0;
  for (int i = 0; i <= HIST_US; i++) {
    seen += hist[i];
    if (seen > want) return i;
  }
  return HIST_US;
}

static int udp_socket(const char *ip, int port, int rcvbuf) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) { perror("socket"); exit(1); }
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, ip, &a.sin_addr);
  /* SO_RCVBUFFORCE (root) passes net.core.rmem_max (often 208 KiB: ~270 small datagrams): a generator descheduled
     for a few ms must not be what drops the replies. */
  if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); exit(1); }
  return fd;
}

static void udp_connect(int fd, const char *ip, int port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, ip, &a.sin_addr);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); exit(1); }
}

/* One batch of datagrams for recvmmsg/sendmmsg on a connected socket. */
struct batch {
  struct mmsghdr msg[BATCH];
  struct iovec iov[BATCH];
  struct sockaddr_in name[BATCH];
  unsigned char data[BATCH][SLOT];
  int count;
};

static void batch_init(struct batch *b) {
  memset(b, 0, sizeof *b);
  for (int i = 0; i < BATCH; i++) {
    b->iov[i].iov_base = b->data[i];
    b->iov[i].iov_len = SLOT;
    b->msg[i].msg_hdr.msg_iov = &b->iov[i];
    b->msg[i].msg_hdr.msg_iovlen = 1;
  }
}

/* Nonblocking receive of what is queued (with the sources, for echo peers). */
static int batch_recv(int fd, struct batch *b) {
  for (int i = 0; i < BATCH; i++) {
    b->iov[i].iov_len = SLOT;
    b->msg[i].msg_hdr.msg_name = &b->name[i];
    b->msg[i].msg_hdr.msg_namelen = sizeof b->name[i];
  }
  int n = recvmmsg(fd, b->msg, BATCH, MSG_DONTWAIT, NULL);
  return n < 0 ? 0 : n;
}

/* Sends b->count messages of their iov lengths; destinations as set (NULL name on a connected socket).
   Never blocks: returns how many left (a full send buffer drops the rest, which the caller takes back). */
static int batch_send(int fd, struct batch *b) {
  int sent = 0;
  for (int rounds = 0; sent < b->count && rounds < BATCH * 2; rounds++) {
    int n = sendmmsg(fd, b->msg + sent, b->count - sent, MSG_DONTWAIT);
    if (n > 0) sent += n;
    else if (errno == EAGAIN || errno == ENOBUFS) break;
    else sent++; /* skip a failing one (ECONNREFUSED of an earlier send) */
  }
  b->count = 0;
  return sent;
}

static const uint32_t magic = 0x2112A442;

/* A 20-byte STUN header. */
static void stun_header(unsigned char *p, uint16_t type, uint16_t length, const unsigned char *tid) {
  p[0] = type >> 8; p[1] = type & 0xFF; p[2] = length >> 8; p[3] = length & 0xFF;
  uint32_t m = htonl(magic);
  memcpy(p + 4, &m, 4);
  memcpy(p + 8, tid, 12);
}

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* Finds an attribute in a STUN message; its value or NULL. */
static const unsigned char *stun_attr(const unsigned char *p, int len, uint16_t type, int *alen) {
  int at = 20, end = 20 + rd16(p + 2);
  if (end > len) end = len;
  while (at + 4 <= end) {
    uint16_t t = rd16(p + at), l = rd16(p + at + 2);
    if (at + 4 + l > end) return NULL;
    if (t == type) { *alen = l; return p + at + 4; }
    at += 4 + ((l + 3) & ~3);
  }
  return NULL;
}
