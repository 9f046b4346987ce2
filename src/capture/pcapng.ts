import { integerOption } from "../shared/options.js";
import { Accumulator, u16, u32 } from "./accumulator.js";
import { CaptureError, CaptureErrorCode } from "./errors.js";
import type { CapturedPacket } from "./packet.js";
import { MAX_RECORD_LENGTH } from "./pcap.js";

/** pcapng block types the reader understands; every other block is skipped. */
export const PcapngBlockType = {
  /** Section Header Block: byte order and the start of a section. */
  SECTION_HEADER: 0x0a0d0d0a,
  /** Interface Description Block: link type and snap length of one interface. */
  INTERFACE_DESCRIPTION: 0x00000001,
  /** Packet Block (obsolete, still read). */
  OBSOLETE_PACKET: 0x00000002,
  /** Simple Packet Block: a packet on interface 0, no timestamp. */
  SIMPLE_PACKET: 0x00000003,
  /** Enhanced Packet Block: a packet with its interface and timestamp. */
  ENHANCED_PACKET: 0x00000006,
  /** Decryption Secrets Block (pcapng §4.7): key material for the packets that follow. */
  DECRYPTION_SECRETS: 0x0000000a,
} as const;

/** Secrets types of a Decryption Secrets Block that httpwire reads. */
export const SecretsType = {
  /** An NSS key log (the text of an `SSLKEYLOGFILE`): "TLSK". */
  TLS_KEY_LOG: 0x544c534b,
} as const;

/** The byte-order magic of a pcapng section header block. */
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_END = 0;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

interface Interface {
  readonly linkType: number;
  readonly snapLength: number;
  /** Timestamp units per second, as a bigint (10^n or 2^n). */
  readonly unitsPerSecond: bigint;
  readonly offsetSeconds: number;
}

/**
 * Interfaces one pcapng section may describe, by default: the 16-bit
 * interface id space of the obsolete packet block. Each is kept until the
 * section ends, so a file must not make the reader keep an unbounded number.
 */
export const MAX_INTERFACES = 65536;

/** Options of {@link PcapngReader}. */
export interface PcapngReaderOptions {
  /** Largest block accepted, in bytes; larger means a corrupt file. Default 16 MiB. */
  readonly maxBlockLength?: number;
  /** Interface description blocks accepted per section; more is malformed (`pcapng_too_many_interfaces`). Default {@link MAX_INTERFACES}. */
  readonly maxInterfaces?: number;
  /**
   * Called with the secrets of each Decryption Secrets Block, in file order
   * (before the packets of the blocks after it are returned): its secrets
   * type (see {@link SecretsType}) and data (a view of the input). Without
   * it these blocks are skipped like any unknown block.
   */
  readonly onSecrets?: (secretsType: number, data: Uint8Array) => void;
}

/**
 * Incremental reader of pcapng files: section header blocks in either byte
 * order (each section may differ), interface description blocks with
 * `if_tsresol` and `if_tsoffset`, enhanced, simple and obsolete packet
 * blocks, and Decryption Secrets Blocks (handed to `onSecrets`). Unknown
 * block types are skipped. Buffers at most one partial block.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * const reader = new PcapngReader();
 * const packets = reader.push(readFileSync("fixtures/captures/h2-session.pcapng")); // or chunk by chunk
 * reader.end();
 * packets[0]?.linkType; // => 1
 * packets.length; // => 52
 * ```
 */
export class PcapngReader {
  private readonly acc = new Accumulator();
  private readonly maxBlockLength: number;
  private readonly maxInterfaces: number;
  private littleEndian = false;
  private inSection = false;
  private interfaces: Interface[] = [];
  private count = 0;
  private readonly onSecrets: ((secretsType: number, data: Uint8Array) => void) | undefined;

  constructor(options: PcapngReaderOptions = {}) {
    this.onSecrets = options.onSecrets;
    this.maxBlockLength = integerOption("PcapngReader", "maxBlockLength", options.maxBlockLength, MAX_RECORD_LENGTH, 12, 2 ** 32 - 1);
    this.maxInterfaces = integerOption("PcapngReader", "maxInterfaces", options.maxInterfaces, MAX_INTERFACES, 0, 2 ** 32);
  }

  /**
   * Adds a chunk and returns the packets of the blocks it completes, appended
   * to `out` when given. When it throws, `out` already holds every packet
   * before the broken block (what came before an error is kept).
   * @throws {CaptureError} MALFORMED_CAPTURE (`bad_pcapng_byte_order_magic`, `pcapng_block_length_invalid`, `pcapng_block_before_section_header`, `pcapng_unknown_interface`, `pcapng_block_lengths_differ`, `pcapng_packet_overruns_block`, `pcapng_too_many_interfaces`, `pcapng_secrets_overrun_block`)
   */
  push(chunk: Uint8Array, out: CapturedPacket[] = []): CapturedPacket[] {
    const acc = this.acc;
    acc.push(chunk);
    for (;;) {
      if (!acc.ensure(12)) break;
      const b = acc.view();
      const p = 0;
      const at = acc.offset;
      const typeBE = u32(b, p, false);
      if (typeBE === PcapngBlockType.SECTION_HEADER) {
        // The byte order of the whole section comes from its header's magic.
        const bom = u32(b, p + 8, false);
        if (bom === PCAPNG_BYTE_ORDER_MAGIC) this.littleEndian = false;
        else if (u32(b, p + 8, true) === PCAPNG_BYTE_ORDER_MAGIC) this.littleEndian = true;
        else
          throw malformed(
            `Cannot read pcapng section header: byte-order magic 0x${bom.toString(16)} is invalid`,
            "bad_pcapng_byte_order_magic",
            at,
          );
        this.inSection = true;
        this.interfaces = [];
      } else if (!this.inSection) {
        throw malformed("Cannot read pcapng file: a block comes before the first section header", "pcapng_block_before_section_header", at);
      }
      const le = this.littleEndian;
      const type = u32(b, p, le);
      const total = u32(b, p + 4, le);
      if (total < 12 || total % 4 !== 0 || total > this.maxBlockLength) {
        throw malformed(`Cannot read pcapng block: total length ${total} is invalid`, "pcapng_block_length_invalid", at);
      }
      if (acc.available < total) break;
      const block = acc.take(total);
      if (u32(block, total - 4, le) !== total) {
        throw malformed(
          `Cannot read pcapng block: trailing length ${u32(block, total - 4, le)} differs from leading length ${total}`,
          "pcapng_block_lengths_differ",
          at,
        );
      }
      const body = block.subarray(8, total - 4);
      switch (type) {
        case PcapngBlockType.INTERFACE_DESCRIPTION:
          if (this.interfaces.length >= this.maxInterfaces) {
            throw malformed(
              `Cannot read pcapng interface description: a section describes more than ${this.maxInterfaces} interfaces`,
              "pcapng_too_many_interfaces",
              at,
            );
          }
          this.interfaces.push(readInterface(body, le, at));
          break;
        case PcapngBlockType.ENHANCED_PACKET:
        case PcapngBlockType.OBSOLETE_PACKET: {
          if (body.length < 20)
            throw malformed("Cannot read pcapng packet block: body shorter than 20 bytes", "pcapng_block_length_invalid", at);
          const ifId = type === PcapngBlockType.ENHANCED_PACKET ? u32(body, 0, le) : u16(body, 0, le);
          const iface = this.iface(ifId, at);
          const capLen = u32(body, 12, le);
          const origLen = u32(body, 16, le);
          if (20 + capLen > body.length)
            throw malformed(
              `Cannot read pcapng packet block: captured length ${capLen} overruns the block`,
              "pcapng_packet_overruns_block",
              at,
            );
          const { seconds, nanoseconds } = timestamp(u32(body, 4, le), u32(body, 8, le), iface);
          out.push({
            linkType: iface.linkType,
            seconds,
            nanoseconds,
            data: body.subarray(20, 20 + capLen),
            originalLength: Math.max(origLen, capLen),
            index: this.count++,
          });
          break;
        }
        case PcapngBlockType.SIMPLE_PACKET: {
          if (body.length < 4)
            throw malformed("Cannot read pcapng simple packet block: body shorter than 4 bytes", "pcapng_block_length_invalid", at);
          const iface = this.iface(0, at);
          const origLen = u32(body, 0, le);
          let capLen = Math.min(origLen, body.length - 4);
          if (iface.snapLength > 0) capLen = Math.min(capLen, iface.snapLength);
          // Simple packet blocks carry no timestamp.
          out.push({
            linkType: iface.linkType,
            seconds: 0,
            nanoseconds: 0,
            data: body.subarray(4, 4 + capLen),
            originalLength: origLen,
            index: this.count++,
          });
          break;
        }
        case PcapngBlockType.DECRYPTION_SECRETS: {
          if (this.onSecrets === undefined) break;
          if (body.length < 8)
            throw malformed("Cannot read pcapng decryption secrets block: body shorter than 8 bytes", "pcapng_block_length_invalid", at);
          const length = u32(body, 4, le);
          if (8 + length > body.length)
            throw malformed(
              `Cannot read pcapng decryption secrets block: secrets length ${length} overruns the block`,
              "pcapng_secrets_overrun_block",
              at,
            );
          this.onSecrets(u32(body, 0, le), body.subarray(8, 8 + length));
          break;
        }
        default:
          // Section headers were handled above; every other block type is skipped.
          break;
      }
    }
    return out;
  }

  /**
   * Declares the end of the input.
   * @throws {CaptureError} TRUNCATED_CAPTURE (`truncated_pcapng_block`) when a block is cut short
   */
  end(): void {
    const left = this.acc.available;
    if (left > 0 || !this.inSection) {
      throw new CaptureError(`Cannot read pcapng file: it ends ${left} bytes into a block`, CaptureErrorCode.TRUNCATED_CAPTURE, {
        reason: "truncated_pcapng_block",
        offset: this.acc.offset,
      });
    }
  }

  private iface(id: number, at: number): Interface {
    const i = this.interfaces[id];
    if (i === undefined)
      throw malformed(`Cannot read pcapng packet block: interface ${id} was not described`, "pcapng_unknown_interface", at);
    return i;
  }
}

function malformed(message: string, reason: string, offset: number): CaptureError {
  return new CaptureError(message, CaptureErrorCode.MALFORMED_CAPTURE, { reason, offset });
}

function readInterface(body: Uint8Array, le: boolean, at: number): Interface {
  if (body.length < 8)
    throw malformed("Cannot read pcapng interface description: body shorter than 8 bytes", "pcapng_block_length_invalid", at);
  const linkType = u16(body, 0, le);
  const snapLength = u32(body, 4, le);
  let unitsPerSecond = 1_000_000n;
  let offsetSeconds = 0;
  let p = 8;
  while (p + 4 <= body.length) {
    const code = u16(body, p, le);
    const len = u16(body, p + 2, le);
    if (code === OPT_END) break;
    const v = p + 4;
    if (v + len > body.length) break;
    if (code === IF_TSRESOL && len >= 1) {
      const r = body[v]!;
      // pcapng §4.2: the high bit selects a power of 2, otherwise a power of 10.
      unitsPerSecond = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
    } else if (code === IF_TSOFFSET && len >= 8) {
      const hi = u32(body, v + (le ? 4 : 0), le) | 0;
      const lo = u32(body, v + (le ? 0 : 4), le);
      offsetSeconds = hi * 2 ** 32 + lo;
    }
    p = v + ((len + 3) & ~3);
  }
  return { linkType, snapLength, unitsPerSecond, offsetSeconds };
}

function timestamp(hi: number, lo: number, iface: Interface): { seconds: number; nanoseconds: number } {
  const units = (BigInt(hi) << 32n) | BigInt(lo);
  const s = units / iface.unitsPerSecond;
  const frac = units % iface.unitsPerSecond;
  return {
    seconds: Number(s) + iface.offsetSeconds,
    nanoseconds: Number((frac * 1_000_000_000n) / iface.unitsPerSecond),
  };
}
