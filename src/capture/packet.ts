/**
 * One captured link-layer frame, as read from a pcap or pcapng file.
 *
 * `data` is a view of the reader's input (valid as long as the caller does
 * not mutate the chunk it pushed). `capturedLength < originalLength` when the
 * capture's snapshot length cut the packet short.
 */
export interface CapturedPacket {
  /** The LINKTYPE_* value of the interface (1 Ethernet, 113/276 Linux cooked, 0 BSD loopback, 101/228/229 raw IP, ...). */
  readonly linkType: number;
  /** Whole seconds since the Unix epoch. */
  readonly seconds: number;
  /** Nanoseconds within the second (0 to 999 999 999). */
  readonly nanoseconds: number;
  /** Bytes present in the file. */
  readonly data: Uint8Array;
  /** Length of the packet on the wire. */
  readonly originalLength: number;
  /** Index of the packet in the file, from 0. */
  readonly index: number;
}

/** Known link types (tcpdump.org LINKTYPE_* values) the capture reader decodes. */
export const LinkType = {
  LINKTYPE_NULL: 0,
  LINKTYPE_ETHERNET: 1,
  LINKTYPE_RAW: 101,
  LINKTYPE_LOOP: 108,
  LINKTYPE_LINUX_SLL: 113,
  LINKTYPE_IPV4: 228,
  LINKTYPE_IPV6: 229,
  LINKTYPE_LINUX_SLL2: 276,
} as const;

/** One of the {@link LinkType} values. */
export type LinkType = (typeof LinkType)[keyof typeof LinkType];
