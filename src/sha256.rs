//! SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), the two primitives TC3 signing needs,
//! written out: the sha2, hmac and digest crates' generic layers cost about 1 KB of the wasm's
//! gzip budget for the same rounds. A signature hashes a few blocks, so a byte at a time is fast
//! enough. The tests hold both to the sha2 and hmac crates and to FIPS' examples.

const INITIAL: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

const ROUND_CONSTANTS: [u32; 64] = [
    0x428a_2f98,
    0x7137_4491,
    0xb5c0_fbcf,
    0xe9b5_dba5,
    0x3956_c25b,
    0x59f1_11f1,
    0x923f_82a4,
    0xab1c_5ed5,
    0xd807_aa98,
    0x1283_5b01,
    0x2431_85be,
    0x550c_7dc3,
    0x72be_5d74,
    0x80de_b1fe,
    0x9bdc_06a7,
    0xc19b_f174,
    0xe49b_69c1,
    0xefbe_4786,
    0x0fc1_9dc6,
    0x240c_a1cc,
    0x2de9_2c6f,
    0x4a74_84aa,
    0x5cb0_a9dc,
    0x76f9_88da,
    0x983e_5152,
    0xa831_c66d,
    0xb003_27c8,
    0xbf59_7fc7,
    0xc6e0_0bf3,
    0xd5a7_9147,
    0x06ca_6351,
    0x1429_2967,
    0x27b7_0a85,
    0x2e1b_2138,
    0x4d2c_6dfc,
    0x5338_0d13,
    0x650a_7354,
    0x766a_0abb,
    0x81c2_c92e,
    0x9272_2c85,
    0xa2bf_e8a1,
    0xa81a_664b,
    0xc24b_8b70,
    0xc76c_51a3,
    0xd192_e819,
    0xd699_0624,
    0xf40e_3585,
    0x106a_a070,
    0x19a4_c116,
    0x1e37_6c08,
    0x2748_774c,
    0x34b0_bcb5,
    0x391c_0cb3,
    0x4ed8_aa4a,
    0x5b9c_ca4f,
    0x682e_6ff3,
    0x748f_82ee,
    0x78a5_636f,
    0x84c8_7814,
    0x8cc7_0208,
    0x90be_fffa,
    0xa450_6ceb,
    0xbef9_a3f7,
    0xc671_78f2,
];

/// An incremental SHA-256.
#[derive(Clone)]
pub struct Sha256 {
    state: [u32; 8],
    block: [u8; 64],
    /// Bytes hashed so far.
    length: u64,
}

impl Default for Sha256 {
    fn default() -> Self {
        Sha256 {
            state: INITIAL,
            block: [0; 64],
            length: 0,
        }
    }
}

impl Sha256 {
    /// The digest of `data`.
    pub fn digest(data: &[u8]) -> [u8; 32] {
        let mut hasher = Sha256::default();
        hasher.update(data);
        hasher.finish()
    }

    pub fn update(&mut self, data: &[u8]) {
        let mut filled = (self.length % 64) as usize;
        self.length = self.length.wrapping_add(data.len() as u64);
        for &byte in data {
            if let Some(slot) = self.block.get_mut(filled) {
                *slot = byte;
            }
            filled += 1;
            if filled == 64 {
                compress(&mut self.state, &self.block);
                filled = 0;
            }
        }
    }

    pub fn finish(mut self) -> [u8; 32] {
        let bits = self.length.wrapping_mul(8);
        // 0x80, then zeros up to 8 bytes before a block's end, then the length in bits.
        let mut padding = [0_u8; 64];
        padding[0] = 0x80;
        let padding_length = (55_u64.wrapping_sub(self.length) % 64) as usize + 1;
        self.update(padding.get(..padding_length).unwrap_or_default());
        self.update(&bits.to_be_bytes());
        // Plain loops here and below: iterator adapters cost time per byte in the wasm.
        let mut digest = [0; 32];
        for (index, byte) in digest.iter_mut().enumerate() {
            let word = self.state.get(index / 4).copied().unwrap_or(0);
            *byte = (word >> (24 - 8 * (index % 4))) as u8;
        }
        digest
    }
}

/// One 64-byte block into the state; the message schedule is kept as a ring of 16 words.
fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    let mut schedule = [0_u32; 16];
    for (index, byte) in block.iter().enumerate() {
        if let Some(word) = schedule.get_mut(index / 4) {
            *word = *word << 8 | u32::from(*byte);
        }
    }
    // `& 15` keeps every index in the ring, so no bounds check remains.
    let word = |schedule: &[u32; 16], at: usize| schedule.get(at & 15).copied().unwrap_or(0);
    let mut working = *state;
    for (round, constant) in ROUND_CONSTANTS.iter().enumerate() {
        if round >= 16 {
            // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], in place of W[t-16].
            let (w2, w15) = (word(&schedule, round + 14), word(&schedule, round + 1));
            let sigma0 = w15.rotate_right(7) ^ w15.rotate_right(18) ^ (w15 >> 3);
            let sigma1 = w2.rotate_right(17) ^ w2.rotate_right(19) ^ (w2 >> 10);
            let next = word(&schedule, round)
                .wrapping_add(sigma0)
                .wrapping_add(word(&schedule, round + 9))
                .wrapping_add(sigma1);
            if let Some(slot) = schedule.get_mut(round & 15) {
                *slot = next;
            }
        }
        let [a, b, c, d, e, f, g, h] = working;
        let sum1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let choice = (e & f) ^ (!e & g);
        let first = h
            .wrapping_add(sum1)
            .wrapping_add(choice)
            .wrapping_add(*constant)
            .wrapping_add(word(&schedule, round));
        let sum0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let majority = (a & b) ^ (a & c) ^ (b & c);
        let second = sum0.wrapping_add(majority);
        working = [
            first.wrapping_add(second),
            a,
            b,
            c,
            d.wrapping_add(first),
            e,
            f,
            g,
        ];
    }
    for (value, add) in state.iter_mut().zip(working) {
        *value = value.wrapping_add(add);
    }
}

/// HMAC-SHA256 of `message` under `key` (of any length: a longer one than a block is hashed).
pub fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let hashed;
    let key = if key.len() > 64 {
        hashed = Sha256::digest(key);
        hashed.as_slice()
    } else {
        key
    };
    let mut padded = [0_u8; 64];
    for (slot, byte) in padded.iter_mut().zip(key) {
        *slot = *byte;
    }
    let mut inner = Sha256::default();
    inner.update(&padded.map(|byte| byte ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::default();
    outer.update(&padded.map(|byte| byte ^ 0x5c));
    outer.update(&inner.finish());
    outer.finish()
}

#[cfg(test)]
mod tests {
    use sha2::Digest;

    use super::*;

    #[test]
    fn fips_examples() {
        let hex = |data: &[u8]| hex::encode(Sha256::digest(data));
        assert_eq!(
            hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn every_length_around_the_block_edges_matches_sha2() {
        let data: Vec<u8> = (0..=255).cycle().take(300).collect();
        for length in 0..data.len() {
            let data = &data[..length];
            assert_eq!(
                Sha256::digest(data)[..],
                sha2::Sha256::digest(data)[..],
                "{length}"
            );
        }
    }

    // proptest is a native-only dev-dependency (see Cargo.toml).
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use hmac::Mac;

        use super::*;

        proptest::proptest! {
            #[test]
            fn hashes_and_macs_match_the_sha2_and_hmac_crates(
                key in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
                message in proptest::collection::vec(proptest::num::u8::ANY, 0..300),
            ) {
                proptest::prop_assert_eq!(&Sha256::digest(&message)[..], &sha2::Sha256::digest(&message)[..]);
                let mut expected = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
                expected.update(&message);
                proptest::prop_assert_eq!(&hmac(&key, &message)[..], &expected.finalize().into_bytes()[..]);
            }
        }
    }
}
