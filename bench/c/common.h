/*
 * Shared by the C anchors (hpack-nghttp2.c, qpack-nghttp3.c): reading the
 * input files the bench writes (bench/c/anchors.ts documents the format),
 * the clock, and the JSON result line.
 *
 * Clock: CLOCK_PROCESS_CPUTIME_ID, the same clock the JavaScript side uses
 * (process CPU time), so a busy machine stretches neither side's rounds.
 */
#ifndef HTTPWIRE_BENCH_C_COMMON_H
#define HTTPWIRE_BENCH_C_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *what) {
  fprintf(stderr, "%s\n", what);
  exit(1);
}

static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The whole input file in memory, read through with a cursor. */
typedef struct {
  uint8_t *data;
  size_t len;
  size_t pos;
} input;

static input read_file(const char *path) {
  input in = {0, 0, 0};
  FILE *f = fopen(path, "rb");
  if (!f) die("cannot open input file");
  fseek(f, 0, SEEK_END);
  in.len = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  in.data = malloc(in.len ? in.len : 1);
  if (!in.data || fread(in.data, 1, in.len, f) != in.len) die("cannot read input file");
  fclose(f);
  return in;
}

/* Big-endian u32. */
static uint32_t take_u32(input *in) {
  if (in->pos + 4 > in->len) die("input truncated");
  const uint8_t *p = in->data + in->pos;
  in->pos += 4;
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static const uint8_t *take_bytes(input *in, size_t n) {
  if (in->pos + n > in->len) die("input truncated");
  const uint8_t *p = in->data + in->pos;
  in->pos += n;
  return p;
}

/* A header list: fields as (pointer, length) pairs into the input. */
typedef struct {
  const uint8_t *name;
  size_t namelen;
  const uint8_t *value;
  size_t valuelen;
} field;

typedef struct {
  field *fields;
  size_t n;
} list;

/* A story (HPACK) or a QIF (QPACK): lists that share one compression context. */
typedef struct {
  list *lists;
  size_t n;
} story;

typedef struct {
  story *stories;
  size_t n;
  size_t fields;
} corpus;

/* u32 stories; per story u32 lists; per list u32 fields; per field u32 len, name, u32 len, value. */
static corpus take_corpus(input *in) {
  corpus c;
  c.n = take_u32(in);
  c.fields = 0;
  c.stories = calloc(c.n ? c.n : 1, sizeof(story));
  for (size_t s = 0; s < c.n; s++) {
    story *st = &c.stories[s];
    st->n = take_u32(in);
    st->lists = calloc(st->n ? st->n : 1, sizeof(list));
    for (size_t l = 0; l < st->n; l++) {
      list *li = &st->lists[l];
      li->n = take_u32(in);
      li->fields = calloc(li->n ? li->n : 1, sizeof(field));
      for (size_t i = 0; i < li->n; i++) {
        field *f = &li->fields[i];
        f->namelen = take_u32(in);
        f->name = take_bytes(in, f->namelen);
        f->valuelen = take_u32(in);
        f->value = take_bytes(in, f->valuelen);
      }
      c.fields += li->n;
    }
  }
  return c;
}

/* The most fields any list of the corpus has (at least 1): the size of a field array for any list. */
static size_t most_fields(const corpus *c) {
  size_t most = 1;
  for (size_t s = 0; s < c->n; s++)
    for (size_t l = 0; l < c->stories[s].n; l++)
      if (c->stories[s].lists[l].n > most) most = c->stories[s].lists[l].n;
  return most;
}

/* A recorded byte sequence: a field block / section (stream > 0) or encoder-stream bytes (stream 0). */
typedef struct {
  int64_t stream;
  const uint8_t *data;
  size_t len;
} record;

typedef struct {
  record *records;
  size_t n;
} recording;

typedef struct {
  recording *files;
  size_t n;
} recordings;

/* u32 files; per file u32 records; per record u32 stream, u32 len, bytes. */
static recordings take_recordings(input *in) {
  recordings r;
  r.n = take_u32(in);
  r.files = calloc(r.n ? r.n : 1, sizeof(recording));
  for (size_t f = 0; f < r.n; f++) {
    recording *rec = &r.files[f];
    rec->n = take_u32(in);
    rec->records = calloc(rec->n ? rec->n : 1, sizeof(record));
    for (size_t i = 0; i < rec->n; i++) {
      rec->records[i].stream = take_u32(in);
      rec->records[i].len = take_u32(in);
      rec->records[i].data = take_bytes(in, rec->records[i].len);
    }
  }
  return r;
}

/*
 * Runs `op` (one pass over the corpus, returning the units it processed)
 * once untimed, then `rounds` rounds of at least `round_ms` of CPU time
 * each, and prints {"unitsPerPass":..,"bytes":..,"rates":[units/s per round]}.
 */
typedef size_t (*pass_fn)(void *ctx);

static void run_rounds(pass_fn op, void *ctx, double round_ms, int rounds, size_t bytes) {
  size_t units = op(ctx);
  printf("{\"unitsPerPass\":%zu,\"bytes\":%zu,\"rates\":[", units, bytes);
  for (int r = 0; r < rounds; r++) {
    size_t ops = 0;
    double t0 = cpu_ms(), t = t0;
    do {
      if (op(ctx) != units) die("a pass processed a different number of units");
      ops++;
      t = cpu_ms();
    } while (t - t0 < round_ms);
    printf("%s%.1f", r ? "," : "", (double)ops * units * 1000.0 / (t - t0));
  }
  printf("]}\n");
}

#endif
