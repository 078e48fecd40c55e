/* Relay load generator, closed loop: each allocation keeps WINDOW frames of LENGTH payload bytes in
   flight through the relay and back; every round trip is two relayed datagrams.
     turn:  against coturn (--no-auth): per allocation an Allocate and a ChannelBind to the echo PEER
            (mmsg-echo); ChannelData out, coturn relays to the peer and the echo back as ChannelData.
     punch: against Punch, sessions set up by Punch.RelayBench --setup (lines "alice_port bob_port channel"
            on stdin): alice's frames go through the relay to bob, which this program echoes back.
   Prints: relay= allocations= round_trips= lost= relayed_per_s= mbit_per_s= loss_pct= p50_us= p99_us=
   Usage: relay-load turn  SERVER_PORT PEER_PORT ALLOCATIONS WINDOW SECONDS LENGTH
          relay-load punch SERVER_PORT ALLOCATIONS WINDOW SECONDS LENGTH < pairs */
#include "bench.h"

#define MAX_ALLOC 64

struct allocation {
  int client, echo; /* echo: bob's socket (punch only), else -1 */
  uint16_t channel;
  int outstanding;
  uint32_t generation;
  uint64_t last_reply;
};

static struct allocation al[MAX_ALLOC];
static struct batch *tx, *rx;
static uint64_t sent, received, lost;
static int length;

/* A STUN request and its answer's type, retried 5 times over 2.5 s. */
static int transact(int fd, unsigned char *req, int len, uint16_t want, unsigned char *resp) {
  for (int attempt = 0; attempt < 5; attempt++) {
    send(fd, req, len, 0);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 500) > 0) {
      int n = recv(fd, resp, SLOT, 0);
      if (n >= 20 && rd16(resp) == want && !memcmp(resp + 8, req + 8, 12)) return n;
      if (n >= 20) { fprintf(stderr, "unexpected answer 0x%04x\n", rd16(resp)); return -1; }
    }
  }
  return -1;
}

static void put_attr(unsigned char *p, int *at, uint16_t type, const void *value, uint16_t len) {
  p[*at] = type >> 8; p[*at + 1] = type & 0xFF; p[*at + 2] = len >> 8; p[*at + 3] = len & 0xFF;
  memcpy(p + *at + 4, value, len);
  *at += 4 + ((len + 3) & ~3);
}

static void turn_setup(struct allocation *a, int server_port, int peer_port, int index) {
  unsigned char req[256], resp[SLOT], tid[12];
  a->client = udp_socket("127.0.0.1", 0, 4 << 20);
  udp_connect(a->client, "127.0.0.1", server_port);
  a->echo = -1;
  a->channel = 0x4000 + index;
  /* Allocate (RFC 8656 §7.1) with REQUESTED-TRANSPORT UDP. */
  int at = 20;
  for (int i = 0; i < 12; i++) tid[i] = rand();
  unsigned char transport[4] = {17, 0, 0, 0};
  put_attr(req, &at, 0x0019, transport, 4);
  stun_header(req, 0x0003, at - 20, tid);
  if (transact(a->client, req, at, 0x0103, resp) < 0) { fprintf(stderr, "Allocate failed\n"); exit(1); }
  /* ChannelBind (RFC 8656 §11) to the echo peer: also its permission. */
  at = 20;
  for (int i = 0; i < 12; i++) tid[i] = rand();
  unsigned char channel[4] = {a->channel >> 8, a->channel & 0xFF, 0, 0};
  put_attr(req, &at, 0x000C, channel, 4);
  unsigned char peer[8] = {0, 1};
  uint16_t xport = peer_port ^ (magic >> 16);
  peer[2] = xport >> 8; peer[3] = xport & 0xFF;
  uint32_t xaddr = htonl(0x7F000001 ^ magic);
  memcpy(peer + 4, &xaddr, 4);
  put_attr(req, &at, 0x0012, peer, 8);
  stun_header(req, 0x0009, at - 20, tid);
  if (transact(a->client, req, at, 0x0109, resp) < 0) { fprintf(stderr, "ChannelBind failed\n"); exit(1); }
}

/* A ChannelData frame: channel, length, payload (send time, generation). */
static void queue(int fd, struct allocation *a, uint64_t t) {
  if (tx->count == BATCH) batch_send(fd, tx);
  unsigned char *p = tx->data[tx->count];
  p[0] = a->channel >> 8; p[1] = a->channel & 0xFF; p[2] = length >> 8; p[3] = length & 0xFF;
  memcpy(p + 4, &t, 8);
  memcpy(p + 12, &a->generation, 4);
  tx->iov[tx->count].iov_len = 4 + length;
  tx->msg[tx->count].msg_hdr.msg_name = NULL;
  tx->msg[tx->count].msg_hdr.msg_namelen = 0;
  tx->count++;
  a->outstanding++;
  sent++;
}

int main(int argc, char **argv) {
  int turn = argc > 1 && !strcmp(argv[1], "turn");
  if (argc < (turn ? 8 : 7)) { fprintf(stderr, "usage: see the top of relay-load.c\n"); return 2; }
  int arg = 2, server_port = atoi(argv[arg++]), peer_port = turn ? atoi(argv[arg++]) : 0;
  int count = atoi(argv[arg++]), window = atoi(argv[arg++]);
  double seconds = atof(argv[arg++]);
  length = atoi(argv[arg++]);
  if (count < 1 || count > MAX_ALLOC || window < 1 || seconds <= 0 || seconds > 120 || length < 16 || length > 1400) { fprintf(stderr, "bad arguments\n"); return 2; }
  tx = malloc(sizeof *tx);
  rx = malloc(sizeof *rx);
  batch_init(tx);
  batch_init(rx);
  for (int i = 0; i < count; i++) {
    if (turn) {
      turn_setup(&al[i], server_port, peer_port, i);
    } else {
      int alice, bob, channel;
      if (scanf("%d %d %d", &alice, &bob, &channel) != 3) { fprintf(stderr, "need %d pairs on stdin\n", count); return 2; }
      al[i].client = udp_socket("127.0.0.1", alice, 4 << 20);
      udp_connect(al[i].client, "127.0.0.1", server_port);
      al[i].echo = udp_socket("127.0.0.1", bob, 4 << 20);
      udp_connect(al[i].echo, "127.0.0.1", server_port);
      al[i].channel = channel;
    }
  }
  struct pollfd pfd[2 * MAX_ALLOC];
  int nfds = 0;
  for (int i = 0; i < count; i++) {
    pfd[nfds++] = (struct pollfd){.fd = al[i].client, .events = POLLIN};
    if (al[i].echo >= 0) pfd[nfds++] = (struct pollfd){.fd = al[i].echo, .events = POLLIN};
  }
  uint64_t start = now_ns(), deadline = start + (uint64_t)(seconds * 1e9);
  for (int i = 0; i < count; i++) {
    for (int w = 0; w < window; w++) queue(al[i].client, &al[i], start);
    batch_send(al[i].client, tx);
    al[i].last_reply = start;
  }
  for (uint64_t t = start; t < deadline; t = now_ns()) {
    if (poll(pfd, nfds, 10) > 0) {
      for (int k = 0, i = 0; k < nfds; k++, i = k / (turn ? 1 : 2)) {
        if (!(pfd[k].revents & POLLIN)) continue;
        struct allocation *a = &al[turn ? k : k / 2];
        int is_echo = !turn && (k % 2 == 1);
        (void)i;
        for (int rounds = 0; rounds < 16; rounds++) {
          int n = batch_recv(pfd[k].fd, rx);
          if (n == 0) break;
          if (is_echo) {
            /* Bob: every frame back through the relay, unchanged (the channel is the session's on both sides). */
            for (int j = 0; j < n; j++) { rx->iov[j].iov_len = rx->msg[j].msg_len; rx->msg[j].msg_hdr.msg_name = NULL; rx->msg[j].msg_hdr.msg_namelen = 0; }
            rx->count = n;
            batch_send(pfd[k].fd, rx);
            continue;
          }
          uint64_t now = now_ns();
          for (int j = 0; j < n; j++) {
            unsigned char *p = rx->data[j];
            if (rx->msg[j].msg_len < 16 || (p[0] & 0xC0) != 0x40) continue;
            uint32_t g;
            memcpy(&g, p + 12, 4);
            if (g != a->generation) continue;
            uint64_t at;
            memcpy(&at, p + 4, 8);
            hist_add(now - at);
            received++;
            a->outstanding--;
            a->last_reply = now;
            if (now < deadline) queue(a->client, a, now);
          }
          if (tx->count) batch_send(a->client, tx);
        }
      }
    }
    for (int i = 0; i < count; i++) {
      if (al[i].outstanding > 0 && t > al[i].last_reply + 200000000ull) {
        lost += al[i].outstanding;
        al[i].outstanding = 0;
        al[i].generation++;
        al[i].last_reply = t;
        for (int w = 0; w < window; w++) queue(al[i].client, &al[i], t);
        batch_send(al[i].client, tx);
      }
    }
  }
  double elapsed = (now_ns() - start) / 1e9;
  uint64_t inflight = 0;
  for (int i = 0; i < count; i++) inflight += al[i].outstanding > 0 ? al[i].outstanding : 0;
  double relayed = 2.0 * (double)received / elapsed;
  printf("relay=%s allocations=%d round_trips=%llu lost=%llu relayed_per_s=%.0f mbit_per_s=%.1f loss_pct=%.3f p50_us=%.0f p99_us=%.0f\n",
         turn ? "turn" : "punch", count, (unsigned long long)received, (unsigned long long)lost, relayed,
         relayed * length * 8 / 1e6, sent ? 100.0 * (double)lost / (double)(sent - inflight) : 0.0, hist_pct(0.5), hist_pct(0.99));
  return received > 0 ? 0 : 1;
}
