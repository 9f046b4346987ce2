import { describe, expect, test } from "vitest";
import {
  aeadOpen,
  aeadSeal,
  aesEncryptBlock,
  CIPHER_SUITES,
  chacha20Block,
  chacha20Keystream,
  cipherSuiteName,
  digest,
  hkdfExpand,
  hkdfExpandLabel,
  hkdfExtract,
  hmac,
  tls12Prf,
  xorNonce,
} from "../../../src/capture/crypto.js";
import { hex, latin1, toHex } from "../../helpers/hex.js";

describe("AEAD through the wrapper", () => {
  // RFC 8439 §2.8.2
  const key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  const nonce = hex("070000004041424344454647");
  const aad = hex("50515253c0c1c2c3c4c5c6c7");
  const plaintext = latin1(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );
  const sealed = hex(
    `d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116
     1ae10b594f09e26a7e902ecbd0600691`,
  );

  test("RFC 8439 §2.8.2 ChaCha20-Poly1305 seal and open", () => {
    expect(toHex(aeadSeal("chacha20-poly1305", key, nonce, aad, plaintext))).toBe(toHex(sealed));
    expect(aeadOpen("chacha20-poly1305", key, nonce, aad, sealed)).toEqual(plaintext);
  });

  test("authentication failure is null, never an exception", () => {
    const bad = sealed.slice();
    bad[5]! ^= 1;
    expect(aeadOpen("chacha20-poly1305", key, nonce, aad, bad)).toBeNull();
    expect(aeadOpen("chacha20-poly1305", key, nonce, hex("00"), sealed)).toBeNull();
    expect(aeadOpen("chacha20-poly1305", key, nonce, aad, sealed.subarray(0, 15))).toBeNull();
    expect(aeadOpen("aes-256-gcm", key, nonce, aad, sealed)).toBeNull();
  });

  // The GCM specification (McGrew & Viega), test cases 4 (AES-128) and 16 (AES-256).
  const gcmNonce = hex("cafebabefacedbaddecaf888");
  const gcmAad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const gcmPlain = hex(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
  );
  test("GCM spec test case 4 (AES-128-GCM)", () => {
    const k = hex("feffe9928665731c6d6a8f9467308308");
    const expected =
      "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091" +
      "5bc94fbc3221a5db94fae95ae7121a47";
    expect(toHex(aeadSeal("aes-128-gcm", k, gcmNonce, gcmAad, gcmPlain))).toBe(expected);
    expect(aeadOpen("aes-128-gcm", k, gcmNonce, gcmAad, hex(expected))).toEqual(gcmPlain);
  });
  test("GCM spec test case 16 (AES-256-GCM)", () => {
    const k = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    const expected =
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" +
      "76fc6ece0f4e1768cddf8853bb2d551b";
    expect(toHex(aeadSeal("aes-256-gcm", k, gcmNonce, gcmAad, gcmPlain))).toBe(expected);
    expect(aeadOpen("aes-256-gcm", k, gcmNonce, gcmAad, hex(expected))).toEqual(gcmPlain);
  });

  test("a caller's wrong key or nonce length is a RangeError", () => {
    expect(() => aeadOpen("aes-128-gcm", key, nonce, aad, sealed)).toThrow(RangeError);
    expect(() => aeadSeal("aes-128-gcm", key.subarray(0, 16), nonce.subarray(0, 8), aad, sealed)).toThrow(RangeError);
  });
});

describe("hashes and key derivation", () => {
  test("SHA-256 and SHA-384 of 'abc' (FIPS 180-2 examples)", () => {
    expect(toHex(digest("sha256", latin1("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(toHex(digest("sha384", latin1("abc")))).toBe(
      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
    );
  });

  test("HMAC-SHA-256 (RFC 4231 test case 2)", () => {
    expect(toHex(hmac("sha256", latin1("Jefe"), latin1("what do ya want for nothing?")))).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  test("RFC 5869 test case 1 (HKDF-SHA-256)", () => {
    const ikm = new Uint8Array(22).fill(0x0b);
    const salt = hex("000102030405060708090a0b0c");
    const info = hex("f0f1f2f3f4f5f6f7f8f9");
    const prk = hkdfExtract("sha256", salt, ikm);
    expect(toHex(prk)).toBe("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    expect(toHex(hkdfExpand("sha256", prk, info, 42))).toBe(
      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
    );
  });

  test("HKDF-Expand-Label: RFC 9001 §A.1 Initial keys (QUIC labels, 'tls13 ' prefix)", () => {
    // initial_secret = HKDF-Extract(initial_salt, cid 0x8394c8f03e515708)
    const initial = hkdfExtract("sha256", hex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"), hex("8394c8f03e515708"));
    expect(toHex(initial)).toBe("7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44");
    const client = hkdfExpandLabel("sha256", initial, "client in", new Uint8Array(0), 32);
    expect(toHex(client)).toBe("c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea");
    expect(toHex(hkdfExpandLabel("sha256", client, "quic key", new Uint8Array(0), 16))).toBe("1f369613dd76d5467730efcbe3b1a22d");
    expect(toHex(hkdfExpandLabel("sha256", client, "quic iv", new Uint8Array(0), 12))).toBe("fa044b2f42a3fd3b46fb255c");
    expect(toHex(hkdfExpandLabel("sha256", client, "quic hp", new Uint8Array(0), 16))).toBe("9f50449e04a0e810283a1e9933adedd2");
  });

  test("TLS 1.2 PRF with SHA-256 and SHA-384 (the IETF TLS list's PRF vectors, checked with openssl kdf TLS1-PRF)", () => {
    expect(
      toHex(tls12Prf("sha256", hex("9bbe436ba940f017b17652849a71db35"), "test label", hex("a0ba9f936cda311827a6f796ffd5198c"), 100)),
    ).toBe(
      "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab" +
        "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66",
    );
    expect(
      toHex(tls12Prf("sha384", hex("b80b733d6ceefcdc71566ea48e5567df"), "test label", hex("cd665cf6a8447dd6ff8b27555edb7465"), 148)),
    ).toBe(
      "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd" +
        "8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d9184259b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6" +
        "91c8f3a26854308d5eaa3be85e0990703d73e56f",
    );
  });
});

describe("QUIC header protection primitives", () => {
  test("AES-ECB of one block: RFC 9001 §A.2 mask", () => {
    const mask = aesEncryptBlock(hex("9f50449e04a0e810283a1e9933adedd2"), hex("d1b1c98dd7689fb8ec11d242b123dc9b"));
    expect(toHex(mask.subarray(0, 5))).toBe("437b9aec36");
  });
  test("ChaCha20 keystream: RFC 9001 §A.5 mask", () => {
    const sample = hex("5e5cd55c41f69080575d7999c25a5bfb");
    const counter = new DataView(sample.buffer).getUint32(0, true);
    const mask = chacha20Keystream(hex("25a282b9e82f06f21f488917a4fc8f1b73573685608597d0efcb076b0ab7a7a4"), counter, sample.subarray(4), 5);
    expect(toHex(mask)).toBe("aefefe7d03");
  });
  test("ChaCha20 keystream takes any 32-bit counter, even the largest", () => {
    const key = new Uint8Array(32);
    expect(chacha20Keystream(key, 0xffffffff, new Uint8Array(12), 5)).toHaveLength(5);
    expect(() => chacha20Keystream(key, 2 ** 32, new Uint8Array(12), 5)).toThrow(RangeError);
  });
  test("the block function used for counter 0xffffffff equals noble's stream at other counters", () => {
    const key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    const nonce = hex("000000090000004a00000000");
    // RFC 8439 §2.3.2: the block for counter 1 of this key and nonce.
    expect(toHex(chacha20Block(key, 1, nonce))).toBe(
      "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4ed2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
    );
    for (const counter of [0, 7, 0x12345678, 0xfffffffe]) {
      expect(chacha20Block(key, counter, nonce).subarray(0, 5)).toEqual(chacha20Keystream(key, counter, nonce, 5));
    }
    expect(chacha20Keystream(key, 0xffffffff, nonce, 5)).toEqual(chacha20Block(key, 0xffffffff, nonce).subarray(0, 5));
  });
});

describe("nonces and suites", () => {
  test("xorNonce XORs the sequence number into the last 8 bytes", () => {
    expect(toHex(xorNonce(hex("000102030405060708090a0b"), 1))).toBe("000102030405060708090a0a");
    expect(toHex(xorNonce(hex("ffffffffffffffffffffffff"), 0x0102030405060708n))).toBe("fffffffffefdfcfbfaf9f8f7");
  });
  test("the suite table", () => {
    expect(CIPHER_SUITES.get(0x1302)).toMatchObject({
      name: "TLS_AES_256_GCM_SHA384",
      hash: "sha384",
      keyLength: 32,
      ivLength: 12,
      explicitNonce: false,
    });
    expect(CIPHER_SUITES.get(0xc02f)).toMatchObject({ version: "TLS 1.2", keyLength: 16, ivLength: 4, explicitNonce: true });
    expect(CIPHER_SUITES.get(0xcca8)).toMatchObject({ aead: "chacha20-poly1305", ivLength: 12, explicitNonce: false });
    expect(CIPHER_SUITES.get(0x009c)?.name).toBe("TLS_RSA_WITH_AES_128_GCM_SHA256");
    expect(CIPHER_SUITES.get(0xc013)).toBeUndefined();
    expect(cipherSuiteName(0xc013)).toBe("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
    expect(cipherSuiteName(0xabcd)).toBe("0xabcd");
    expect(cipherSuiteName(0x1303)).toBe("TLS_CHACHA20_POLY1305_SHA256");
  });
});
