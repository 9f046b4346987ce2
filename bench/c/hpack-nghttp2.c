/*
 * The nghttp2 anchor for the HPACK suite (bench/suites/hpack.ts): nghttp2's
 * own HPACK deflater and inflater (nghttp2_hd_*), a fresh pair per story,
 * dynamic table 4096, as httpwire is measured.
 *
 *   hpack-nghttp2 encode CORPUS ROUND_MS ROUNDS   encode every list of every story
 *   hpack-nghttp2 decode WIRE ROUND_MS ROUNDS     decode recorded field blocks (one file per story)
 *   hpack-nghttp2 dump CORPUS OUT                 write the encoded blocks (recordings format) to OUT, print {}
 *
 * Prints one JSON line: {"unitsPerPass":fields,"bytes":encoded bytes,"rates":[fields/s per round]}.
 * Built by bench/c/anchors.ts with `cc -O2 hpack-nghttp2.c -lnghttp2`.
 */
#include <nghttp2/nghttp2.h>

#include "common.h"

typedef struct {
  corpus c;
  nghttp2_nv *nva;
  size_t nva_cap;
  uint8_t *out;
  size_t out_cap;
  FILE *dump;
  /* Encoded bytes of the last pass. */
  size_t bytes;
} enc_ctx;

static size_t encode_pass(void *p) {
  enc_ctx *e = p;
  size_t fields = 0;
  e->bytes = 0;
  for (size_t s = 0; s < e->c.n; s++) {
    nghttp2_hd_deflater *d;
    if (nghttp2_hd_deflate_new(&d, 4096) != 0) die("nghttp2_hd_deflate_new failed");
    story *st = &e->c.stories[s];
    if (e->dump) {
      uint8_t h[4] = {(uint8_t)(st->n >> 24), (uint8_t)(st->n >> 16), (uint8_t)(st->n >> 8), (uint8_t)st->n};
      fwrite(h, 1, 4, e->dump);
    }
    for (size_t l = 0; l < st->n; l++) {
      list *li = &st->lists[l];
      for (size_t i = 0; i < li->n; i++) {
        nghttp2_nv *nv = &e->nva[i];
        nv->name = (uint8_t *)li->fields[i].name;
        nv->namelen = li->fields[i].namelen;
        nv->value = (uint8_t *)li->fields[i].value;
        nv->valuelen = li->fields[i].valuelen;
        nv->flags = NGHTTP2_NV_FLAG_NONE;
      }
      ssize_t n = nghttp2_hd_deflate_hd(d, e->out, e->out_cap, e->nva, li->n);
      if (n < 0) die("nghttp2_hd_deflate_hd failed");
      e->bytes += (size_t)n;
      if (e->dump) {
        uint8_t h[8] = {0, 0, 0, 1, (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
        fwrite(h, 1, 8, e->dump);
        fwrite(e->out, 1, (size_t)n, e->dump);
      }
      fields += li->n;
    }
    nghttp2_hd_deflate_del(d);
  }
  return fields;
}

static enc_ctx make_enc(const char *path) {
  enc_ctx e;
  input in = read_file(path);
  e.c = take_corpus(&in);
  e.nva_cap = most_fields(&e.c);
  e.nva = calloc(e.nva_cap, sizeof(nghttp2_nv));
  e.out_cap = 1 << 20;
  e.out = malloc(e.out_cap);
  e.dump = NULL;
  e.bytes = 0;
  return e;
}

typedef struct {
  recordings w;
} dec_ctx;

static size_t decode_pass(void *p) {
  dec_ctx *x = p;
  size_t fields = 0;
  for (size_t f = 0; f < x->w.n; f++) {
    nghttp2_hd_inflater *inf;
    if (nghttp2_hd_inflate_new(&inf) != 0) die("nghttp2_hd_inflate_new failed");
    recording *rec = &x->w.files[f];
    for (size_t b = 0; b < rec->n; b++) {
      const uint8_t *in = rec->records[b].data;
      size_t left = rec->records[b].len;
      for (;;) {
        nghttp2_nv nv;
        int flags = 0;
        ssize_t rv = nghttp2_hd_inflate_hd2(inf, &nv, &flags, in, left, 1);
        if (rv < 0) die("nghttp2_hd_inflate_hd2 failed");
        in += rv;
        left -= (size_t)rv;
        if (flags & NGHTTP2_HD_INFLATE_EMIT) fields++;
        if (flags & NGHTTP2_HD_INFLATE_FINAL) {
          nghttp2_hd_inflate_end_headers(inf);
          break;
        }
        if ((flags & NGHTTP2_HD_INFLATE_EMIT) == 0 && left == 0) die("field block ended early");
      }
    }
    nghttp2_hd_inflate_del(inf);
  }
  return fields;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "dump") == 0) {
    enc_ctx e = make_enc(argv[2]);
    e.dump = fopen(argv[3], "wb");
    if (!e.dump) die("cannot open dump file");
    uint8_t h[4] = {(uint8_t)(e.c.n >> 24), (uint8_t)(e.c.n >> 16), (uint8_t)(e.c.n >> 8), (uint8_t)e.c.n};
    fwrite(h, 1, 4, e.dump);
    encode_pass(&e);
    fclose(e.dump);
    printf("{}\n");
    return 0;
  }
  if (argc != 5) die("usage: hpack-nghttp2 encode|decode FILE ROUND_MS ROUNDS, or dump CORPUS OUT");
  double round_ms = atof(argv[3]);
  int rounds = atoi(argv[4]);
  if (strcmp(argv[1], "encode") == 0) {
    enc_ctx e = make_enc(argv[2]);
    encode_pass(&e); /* outside the clock: the encoded size */
    run_rounds(encode_pass, &e, round_ms, rounds, e.bytes);
  } else if (strcmp(argv[1], "decode") == 0) {
    input in = read_file(argv[2]);
    dec_ctx x = {take_recordings(&in)};
    size_t bytes = 0;
    for (size_t f = 0; f < x.w.n; f++)
      for (size_t b = 0; b < x.w.files[f].n; b++) bytes += x.w.files[f].records[b].len;
    run_rounds(decode_pass, &x, round_ms, rounds, bytes);
  } else {
    die("unknown mode");
  }
  return 0;
}
