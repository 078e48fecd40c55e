/* The baseline: a C UDP echo with recvmmsg/sendmmsg, THREADS sockets on one port (SO_REUSEPORT), one
   thread each; also the relay benchmark's peer (it echoes what coturn relays to it). Runs SECONDS at most.
   Usage: mmsg-echo IP PORT THREADS SECONDS */
#include "bench.h"
#include <pthread.h>

static const char *ip;
static int port;
static uint64_t deadline;

static void *serve(void *arg) {
  int fd = (int)(intptr_t)arg;
  struct batch *b = malloc(sizeof *b);
  batch_init(b);
  struct timeval tv = {.tv_sec = 0, .tv_usec = 200000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  while (now_ns() < deadline) {
    for (int i = 0; i < BATCH; i++) {
      b->iov[i].iov_len = SLOT;
      b->msg[i].msg_hdr.msg_name = &b->name[i];
      b->msg[i].msg_hdr.msg_namelen = sizeof b->name[i];
    }
    int n = recvmmsg(fd, b->msg, BATCH, MSG_WAITFORONE, NULL);
    if (n <= 0) continue;
    for (int i = 0; i < n; i++) b->iov[i].iov_len = b->msg[i].msg_len;
    b->count = n;
    batch_send(fd, b);
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 5) { fprintf(stderr, "usage: mmsg-echo IP PORT THREADS SECONDS\n"); return 2; }
  ip = argv[1];
  port = atoi(argv[2]);
  int threads = atoi(argv[3]);
  double seconds = atof(argv[4]);
  if (threads < 1 || threads > 64 || seconds <= 0 || seconds > 600) { fprintf(stderr, "bad arguments\n"); return 2; }
  deadline = now_ns() + (uint64_t)(seconds * 1e9);
  pthread_t t[64];
  for (int i = 0; i < threads; i++) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1, buf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf) < 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, ip, &a.sin_addr);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); return 1; }
    pthread_create(&t[i], NULL, serve, (void *)(intptr_t)fd);
  }
  printf("echo listening on %s:%d with %d threads\n", ip, port, threads);
  fflush(stdout);
  for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
  return 0;
}
