/* STUN Binding load generator: closed loop (each socket keeps WINDOW requests in flight) or open loop
   (RATE requests per second in total, paced every millisecond), over loopback.
   Prints one line: mode= offered_per_s= sent= received= lost= per_s= loss_pct= p50_us= p99_us=
   A reply counts when it carries our magic cookie and transaction id (a Binding success, or the
   request itself echoed by the C baseline). Usage:
     stun-load IP PORT SOCKETS WINDOW SECONDS [RATE]      (RATE absent or 0: closed loop) */
#include "bench.h"

#define MAX_SOCKETS 64

static int fds[MAX_SOCKETS];
static struct batch *tx[MAX_SOCKETS], *rx;
static uint32_t generation[MAX_SOCKETS];
static int outstanding[MAX_SOCKETS];
static uint64_t last_reply[MAX_SOCKETS];
static uint64_t sent, received, lost, late, skipped;

/* Sends what socket s queued; what the kernel would not take was never offered. */
static void flush(int s) {
  int queued = tx[s]->count, n = batch_send(fds[s], tx[s]);
  sent -= (uint64_t)(queued - n);
  outstanding[s] -= queued - n;
}

/* Queues one Binding request on socket s: transaction id = send time (8 bytes), socket, generation. */
static void queue(int s, uint64_t t) {
  struct batch *b = tx[s];
  if (b->count == BATCH) flush(s);
  unsigned char tid[12];
  memcpy(tid, &t, 8);
  tid[8] = (unsigned char)s;
  memcpy(tid + 9, &generation[s], 3);
  stun_header(b->data[b->count], 0x0001, 0, tid);
  b->iov[b->count].iov_len = 20;
  b->msg[b->count].msg_hdr.msg_name = NULL;
  b->msg[b->count].msg_hdr.msg_namelen = 0;
  b->count++;
  outstanding[s]++;
  sent++;
}

/* Reads what socket s has; returns replies taken. Closed loop: each reply sends the next request. */
static void drain(int s, int closed, uint64_t deadline) {
  for (int rounds = 0; rounds < 16; rounds++) {
    int n = batch_recv(fds[s], rx);
    if (n == 0) return;
    uint64_t t = now_ns();
    for (int i = 0; i < n; i++) {
      unsigned char *p = rx->data[i];
      uint32_t m;
      if (rx->msg[i].msg_len < 20) continue;
      memcpy(&m, p + 4, 4);
      uint16_t type = rd16(p);
      if (ntohl(m) != magic || (type != 0x0101 && type != 0x0001) || p[16] != s) continue;
      uint32_t g = 0;
      memcpy(&g, p + 17, 3);
      if (g != (generation[s] & 0xFFFFFF)) { late++; continue; }
      uint64_t at;
      memcpy(&at, p + 8, 8);
      hist_add(t - at);
      received++;
      outstanding[s]--;
      last_reply[s] = t;
      if (closed && t < deadline) queue(s, t);
    }
    if (tx[s]->count) flush(s);
  }
}

int main(int argc, char **argv) {
  if (argc < 6) { fprintf(stderr, "usage: stun-load IP PORT SOCKETS WINDOW SECONDS [RATE]\n"); return 2; }
  const char *ip = argv[1];
  int port = atoi(argv[2]), sockets = atoi(argv[3]), window = atoi(argv[4]);
  double seconds = atof(argv[5]), rate = argc > 6 ? atof(argv[6]) : 0;
  if (sockets < 1 || sockets > MAX_SOCKETS || window < 1 || seconds <= 0 || seconds > 120) { fprintf(stderr, "bad arguments\n"); return 2; }
  int closed = rate <= 0;
  struct pollfd pfd[MAX_SOCKETS];
  rx = malloc(sizeof *rx);
  batch_init(rx);
  for (int s = 0; s < sockets; s++) {
    fds[s] = udp_socket("127.0.0.1", 0, 16 << 20);
    udp_connect(fds[s], ip, port);
    tx[s] = malloc(sizeof *tx[s]);
    batch_init(tx[s]);
    pfd[s] = (struct pollfd){.fd = fds[s], .events = POLLIN};
  }
  uint64_t start = now_ns(), deadline = start + (uint64_t)(seconds * 1e9);
  if (closed) {
    for (int s = 0; s < sockets; s++) {
      for (int i = 0; i < window; i++) queue(s, now_ns());
      flush(s);
      last_reply[s] = start;
    }
  }
  int next = 0;
  for (uint64_t t = start; t < deadline; t = now_ns()) {
    if (!closed) {
      /* Open loop: whatever is due by now, round robin over the sockets. A generator that was descheduled
         does not catch up with a burst the server never saw offered: more than 2 ms behind is skipped (reported). */
      uint64_t due = (uint64_t)(rate * (double)(t - start) / 1e9) - skipped;
      uint64_t burst = (uint64_t)(rate / 500) + 1;
      if (due > sent + burst) { skipped += due - sent - burst; due = sent + burst; }
      while (sent < due) { queue(next, t); next = (next + 1) % sockets; }
      for (int s = 0; s < sockets; s++) if (tx[s]->count) flush(s);
    }
    if (poll(pfd, sockets, closed ? 10 : 0) > 0)
      for (int s = 0; s < sockets; s++) if (pfd[s].revents & POLLIN) drain(s, closed, deadline);
    if (closed) {
      /* A window with no reply for 200 ms was lost: count it, start a new generation. */
      for (int s = 0; s < sockets; s++) {
        if (outstanding[s] > 0 && t > last_reply[s] + 200000000ull) {
          lost += outstanding[s];
          outstanding[s] = 0;
          generation[s]++;
          last_reply[s] = t;
          for (int i = 0; i < window; i++) queue(s, t);
          flush(s);
        }
      }
    }
  }
  double elapsed = (now_ns() - start) / 1e9;
  /* Drain what is still on its way: at most 300 ms. */
  uint64_t drain_until = now_ns() + 300000000ull;
  for (uint64_t t = now_ns(); t < drain_until; t = now_ns()) {
    if (poll(pfd, sockets, 20) > 0)
      for (int s = 0; s < sockets; s++) if (pfd[s].revents & POLLIN) drain(s, 0, 0);
  }
  uint64_t missing = 0;
  for (int s = 0; s < sockets; s++) missing += outstanding[s] > 0 ? outstanding[s] : 0;
  lost += missing;
  printf("mode=%s offered_per_s=%.0f sent=%llu received=%llu lost=%llu per_s=%.0f loss_pct=%.3f p50_us=%.0f p99_us=%.0f\n",
         closed ? "closed" : "open", sent / elapsed, (unsigned long long)sent, (unsigned long long)received, (unsigned long long)lost,
         received / elapsed, sent ? 100.0 * (double)lost / (double)sent : 0.0, hist_pct(0.50), hist_pct(0.99));
  return received > 0 ? 0 : 1;
}
