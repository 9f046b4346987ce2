/*
 * The nghttp3 anchor for the QPACK suite (bench/suites/qpack.ts): nghttp3's
 * QPACK encoder and decoder (nghttp3_qpack_*), a fresh pair per QIF, the
 * same method as httpwire's rows.
 *
 *   qpack-nghttp3 encode CORPUS CAPACITY BLOCKED ROUND_MS ROUNDS
 *     Reference pass first (outside the clock): section i goes on stream i,
 *     its encoder-stream bytes and the section go to an nghttp3 decoder, and
 *     the decoder-stream bytes that produces (Section Acknowledgment, Insert
 *     Count Increment) go back to the encoder before the next section, as on
 *     a live connection. The timed pass encodes with a fresh encoder and
 *     replays exactly that recorded decoder stream (the encoder is
 *     deterministic). bytes = field sections + encoder stream.
 *   qpack-nghttp3 decode RECORDINGS CAPACITY BLOCKED ROUND_MS ROUNDS
 *     Feeds recorded encoder-stream bytes (stream 0) and field sections
 *     (stream > 0) in order, resuming blocked sections when the encoder
 *     stream unblocks them, and drains the decoder stream after every record.
 *   qpack-nghttp3 dump CORPUS CAPACITY BLOCKED OUT
 *     Writes the reference pass's wire (recordings format) to OUT.
 *
 * Prints one JSON line: {"unitsPerPass":fields,"bytes":..,"rates":[fields/s per round]}.
 * Built by bench/c/anchors.ts with `cc -O2 qpack-nghttp3.c -lnghttp3`.
 */
#include <nghttp3/nghttp3.h>

#include "common.h"

static size_t capacity, blocked;

static void put_u32(uint8_t **p, size_t *len, size_t *cap, uint32_t v) {
  if (*len + 4 > *cap) {
    *cap = *cap * 2 + 64;
    *p = realloc(*p, *cap);
  }
  (*p)[(*len)++] = (uint8_t)(v >> 24);
  (*p)[(*len)++] = (uint8_t)(v >> 16);
  (*p)[(*len)++] = (uint8_t)(v >> 8);
  (*p)[(*len)++] = (uint8_t)v;
}

static nghttp3_nv *nva_for(list *li, nghttp3_nv *nva) {
  for (size_t i = 0; i < li->n; i++) {
    nva[i].name = (uint8_t *)li->fields[i].name;
    nva[i].namelen = li->fields[i].namelen;
    nva[i].value = (uint8_t *)li->fields[i].value;
    nva[i].valuelen = li->fields[i].valuelen;
    nva[i].flags = NGHTTP3_NV_FLAG_NONE;
  }
  return nva;
}

/* Encodes list `li` as the section of stream `stream` into emptied buffers. */
static void encode_section(nghttp3_qpack_encoder *enc, nghttp3_buf *pbuf, nghttp3_buf *rbuf, nghttp3_buf *ebuf, int64_t stream,
                           list *li, nghttp3_nv *nva) {
  nghttp3_buf_reset(pbuf);
  nghttp3_buf_reset(rbuf);
  nghttp3_buf_reset(ebuf);
  if (nghttp3_qpack_encoder_encode(enc, pbuf, rbuf, ebuf, stream, nva_for(li, nva), li->n) != 0)
    die("nghttp3_qpack_encoder_encode failed");
}

static nghttp3_qpack_encoder *new_encoder(void) {
  nghttp3_qpack_encoder *e;
  if (nghttp3_qpack_encoder_new(&e, capacity, nghttp3_mem_default()) != 0) die("nghttp3_qpack_encoder_new failed");
  nghttp3_qpack_encoder_set_max_dtable_capacity(e, capacity);
  nghttp3_qpack_encoder_set_max_blocked_streams(e, blocked);
  return e;
}

static nghttp3_qpack_decoder *new_decoder(void) {
  nghttp3_qpack_decoder *d;
  if (nghttp3_qpack_decoder_new(&d, capacity, blocked, nghttp3_mem_default()) != 0) die("nghttp3_qpack_decoder_new failed");
  if (nghttp3_qpack_decoder_set_max_dtable_capacity(d, capacity) != 0) die("set_max_dtable_capacity failed");
  return d;
}

/* ---- decoding: one recording per QIF ---- */

typedef struct {
  nghttp3_qpack_stream_context *sctx;
  const uint8_t *data;
  size_t left;
} pending;

static uint8_t dstream[1 << 16];

static void drain(nghttp3_qpack_decoder *d, uint8_t **keep, size_t *keep_len, size_t *keep_cap) {
  size_t n = nghttp3_qpack_decoder_get_decoder_streamlen(d);
  if (n == 0) return;
  if (n > sizeof dstream) die("decoder stream too long");
  nghttp3_buf b = {dstream, dstream + sizeof dstream, dstream, dstream};
  nghttp3_qpack_decoder_write_decoder(d, &b);
  if (keep) {
    if (*keep_len + n > *keep_cap) {
      *keep_cap = (*keep_len + n) * 2;
      *keep = realloc(*keep, *keep_cap);
    }
    memcpy(*keep + *keep_len, dstream, n);
    *keep_len += n;
  }
}

/* Decodes what is left of one section; returns fields emitted, or -1 when blocked (p updated). */
static long decode_section(nghttp3_qpack_decoder *d, pending *p) {
  long fields = 0;
  for (;;) {
    nghttp3_qpack_nv nv;
    uint8_t flags = 0;
    nghttp3_ssize rv = nghttp3_qpack_decoder_read_request(d, p->sctx, &nv, &flags, p->data, p->left, 1);
    if (rv < 0) die("nghttp3_qpack_decoder_read_request failed");
    p->data += rv;
    p->left -= (size_t)rv;
    if (flags & NGHTTP3_QPACK_DECODE_FLAG_EMIT) {
      fields++;
      nghttp3_rcbuf_decref(nv.name);
      nghttp3_rcbuf_decref(nv.value);
    }
    if (flags & NGHTTP3_QPACK_DECODE_FLAG_FINAL) return fields;
    if (flags & NGHTTP3_QPACK_DECODE_FLAG_BLOCKED) return -1 - fields;
    if ((flags & NGHTTP3_QPACK_DECODE_FLAG_EMIT) == 0 && p->left == 0) die("field section ended early");
  }
}

typedef struct {
  recordings w;
  pending *blocked_list;
} dec_ctx;

static size_t decode_pass(void *ctx) {
  dec_ctx *x = ctx;
  size_t fields = 0;
  for (size_t f = 0; f < x->w.n; f++) {
    nghttp3_qpack_decoder *d = new_decoder();
    size_t nblocked = 0;
    recording *rec = &x->w.files[f];
    for (size_t i = 0; i < rec->n; i++) {
      record *r = &rec->records[i];
      if (r->stream == 0) {
        if (r->len && nghttp3_qpack_decoder_read_encoder(d, r->data, r->len) != (nghttp3_ssize)r->len)
          die("nghttp3_qpack_decoder_read_encoder failed");
        uint64_t icnt = nghttp3_qpack_decoder_get_icnt(d);
        for (size_t k = 0; k < nblocked;) {
          pending *p = &x->blocked_list[k];
          if (nghttp3_qpack_stream_context_get_ricnt(p->sctx) > icnt) {
            k++;
            continue;
          }
          long n = decode_section(d, p);
          if (n < 0) die("section still blocked after its insert count arrived");
          fields += (size_t)n;
          nghttp3_qpack_stream_context_del(p->sctx);
          x->blocked_list[k] = x->blocked_list[--nblocked];
        }
      } else {
        pending p;
        if (nghttp3_qpack_stream_context_new(&p.sctx, r->stream, nghttp3_mem_default()) != 0) die("stream context");
        p.data = r->data;
        p.left = r->len;
        long n = decode_section(d, &p);
        if (n < 0) {
          if (nblocked >= blocked) die("too many blocked sections");
          fields += (size_t)(-1 - n);
          x->blocked_list[nblocked++] = p;
        } else {
          fields += (size_t)n;
          nghttp3_qpack_stream_context_del(p.sctx);
        }
      }
      drain(d, NULL, NULL, NULL);
    }
    if (nblocked) die("sections left blocked at the end of a recording");
    nghttp3_qpack_decoder_del(d);
  }
  return fields;
}

/* ---- encoding ---- */

typedef struct {
  corpus c;
  nghttp3_nv *nva;
  /* Recorded per QIF and section: decoder-stream bytes to replay (offsets into fb). */
  uint8_t **fb;
  size_t **fb_end;
  size_t bytes;
  /* The reference pass's wire in recordings format (for dump). */
  uint8_t *wire;
  size_t wire_len, wire_cap;
} enc_ctx;

static void append_record(enc_ctx *e, uint32_t stream, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
  put_u32(&e->wire, &e->wire_len, &e->wire_cap, stream);
  put_u32(&e->wire, &e->wire_len, &e->wire_cap, (uint32_t)(alen + blen));
  if (e->wire_len + alen + blen > e->wire_cap) {
    e->wire_cap = (e->wire_len + alen + blen) * 2;
    e->wire = realloc(e->wire, e->wire_cap);
  }
  if (alen) memcpy(e->wire + e->wire_len, a, alen);
  if (blen) memcpy(e->wire + e->wire_len + alen, b, blen);
  e->wire_len += alen + blen;
}

static void reference_pass(enc_ctx *e) {
  const nghttp3_mem *mem = nghttp3_mem_default();
  e->fb = calloc(e->c.n, sizeof(uint8_t *));
  e->fb_end = calloc(e->c.n, sizeof(size_t *));
  e->bytes = 0;
  e->wire = NULL;
  e->wire_len = e->wire_cap = 0;
  put_u32(&e->wire, &e->wire_len, &e->wire_cap, (uint32_t)e->c.n);
  for (size_t q = 0; q < e->c.n; q++) {
    story *st = &e->c.stories[q];
    nghttp3_qpack_encoder *enc = new_encoder();
    nghttp3_qpack_decoder *dec = new_decoder();
    nghttp3_buf pbuf, rbuf, ebuf;
    nghttp3_buf_init(&pbuf);
    nghttp3_buf_init(&rbuf);
    nghttp3_buf_init(&ebuf);
    size_t fb_len = 0, fb_cap = 64;
    e->fb[q] = malloc(fb_cap);
    e->fb_end[q] = calloc(st->n, sizeof(size_t));
    put_u32(&e->wire, &e->wire_len, &e->wire_cap, (uint32_t)(2 * st->n));
    for (size_t s = 0; s < st->n; s++) {
      list *li = &st->lists[s];
      encode_section(enc, &pbuf, &rbuf, &ebuf, (int64_t)(s + 1), li, e->nva);
      size_t elen = nghttp3_buf_len(&ebuf), plen = nghttp3_buf_len(&pbuf), rlen = nghttp3_buf_len(&rbuf);
      e->bytes += elen + plen + rlen;
      append_record(e, 0, ebuf.pos, elen, NULL, 0);
      append_record(e, (uint32_t)(s + 1), pbuf.pos, plen, rbuf.pos, rlen);
      /* The peer: encoder stream first, then the section (never blocked: its inserts came first). */
      if (elen && nghttp3_qpack_decoder_read_encoder(dec, ebuf.pos, elen) != (nghttp3_ssize)elen)
        die("reference decoder rejected the encoder stream");
      uint8_t *sec = malloc(plen + rlen + 1);
      memcpy(sec, pbuf.pos, plen);
      memcpy(sec + plen, rbuf.pos, rlen);
      pending p = {NULL, sec, plen + rlen};
      if (nghttp3_qpack_stream_context_new(&p.sctx, (int64_t)(s + 1), mem) != 0) die("stream context");
      long n = decode_section(dec, &p);
      if (n != (long)li->n) die("reference decoder gave a different number of fields");
      nghttp3_qpack_stream_context_del(p.sctx);
      free(sec);
      drain(dec, &e->fb[q], &fb_len, &fb_cap);
      e->fb_end[q][s] = fb_len;
      size_t from = s ? e->fb_end[q][s - 1] : 0;
      if (fb_len > from && nghttp3_qpack_encoder_read_decoder(enc, e->fb[q] + from, fb_len - from) != (nghttp3_ssize)(fb_len - from))
        die("encoder rejected the decoder stream");
    }
    nghttp3_buf_free(&pbuf, mem);
    nghttp3_buf_free(&rbuf, mem);
    nghttp3_buf_free(&ebuf, mem);
    nghttp3_qpack_encoder_del(enc);
    nghttp3_qpack_decoder_del(dec);
  }
}

static size_t encode_pass(void *ctx) {
  enc_ctx *e = ctx;
  const nghttp3_mem *mem = nghttp3_mem_default();
  size_t fields = 0;
  for (size_t q = 0; q < e->c.n; q++) {
    story *st = &e->c.stories[q];
    nghttp3_qpack_encoder *enc = new_encoder();
    nghttp3_buf pbuf, rbuf, ebuf;
    nghttp3_buf_init(&pbuf);
    nghttp3_buf_init(&rbuf);
    nghttp3_buf_init(&ebuf);
    for (size_t s = 0; s < st->n; s++) {
      list *li = &st->lists[s];
      encode_section(enc, &pbuf, &rbuf, &ebuf, (int64_t)(s + 1), li, e->nva);
      size_t from = s ? e->fb_end[q][s - 1] : 0, to = e->fb_end[q][s];
      if (to > from && nghttp3_qpack_encoder_read_decoder(enc, e->fb[q] + from, to - from) != (nghttp3_ssize)(to - from))
        die("encoder rejected the replayed decoder stream");
      fields += li->n;
    }
    nghttp3_buf_free(&pbuf, mem);
    nghttp3_buf_free(&rbuf, mem);
    nghttp3_buf_free(&ebuf, mem);
    nghttp3_qpack_encoder_del(enc);
  }
  return fields;
}

static enc_ctx make_enc(const char *path) {
  enc_ctx e;
  input in = read_file(path);
  e.c = take_corpus(&in);
  e.nva = calloc(most_fields(&e.c), sizeof(nghttp3_nv));
  reference_pass(&e);
  return e;
}

int main(int argc, char **argv) {
  if (argc == 6 && strcmp(argv[1], "dump") == 0) {
    capacity = (size_t)atol(argv[3]);
    blocked = (size_t)atol(argv[4]);
    enc_ctx e = make_enc(argv[2]);
    FILE *f = fopen(argv[5], "wb");
    if (!f || fwrite(e.wire, 1, e.wire_len, f) != e.wire_len) die("cannot write dump file");
    fclose(f);
    printf("{\"bytes\":%zu}\n", e.bytes);
    return 0;
  }
  if (argc != 7) die("usage: qpack-nghttp3 encode|decode FILE CAPACITY BLOCKED ROUND_MS ROUNDS, or dump CORPUS CAPACITY BLOCKED OUT");
  capacity = (size_t)atol(argv[3]);
  blocked = (size_t)atol(argv[4]);
  double round_ms = atof(argv[5]);
  int rounds = atoi(argv[6]);
  if (strcmp(argv[1], "encode") == 0) {
    enc_ctx e = make_enc(argv[2]);
    run_rounds(encode_pass, &e, round_ms, rounds, e.bytes);
  } else if (strcmp(argv[1], "decode") == 0) {
    input in = read_file(argv[2]);
    dec_ctx x = {take_recordings(&in), calloc(blocked + 1, sizeof(pending))};
    size_t bytes = 0;
    for (size_t f = 0; f < x.w.n; f++)
      for (size_t i = 0; i < x.w.files[f].n; i++) bytes += x.w.files[f].records[i].len;
    run_rounds(decode_pass, &x, round_ms, rounds, bytes);
  } else {
    die("unknown mode");
  }
  return 0;
}
