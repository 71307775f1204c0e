//! The seeded random source: PCG-XSH-RR 32 (O'Neill 2014), written out here instead of pulling a crate.
//!
//! Why our own: the transcript must be byte-identical for the same seed on native and wasm32, now and
//! after dependency upgrades; a 20-line generator with fixed constants guarantees that, and it needs no
//! `getrandom` (which would need a JS shim on wasm32). Everything random in the simulation (volume
//! names, ClusterIPs, kube-proxy's endpoint choice) draws from one stream in a fixed order.

/// A PCG32 generator (64-bit state, 32-bit output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pcg32 {
    state: u64,
    inc: u64,
}

const MULTIPLIER: u64 = 6364136223846793005;

impl Pcg32 {
    /// Seeds the generator; `stream` picks one of 2^63 independent sequences.
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut rng = Pcg32 { state: 0, inc: (stream << 1) | 1 };
        rng.next_u32();
        rng.state = rng.state.wrapping_add(seed);
        rng.next_u32();
        rng
    }

    pub fn next_u32(&mut self) -> u32 {
        let old = self.state;
        self.state = old.wrapping_mul(MULTIPLIER).wrapping_add(self.inc);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        let rot = (old >> 59) as u32;
        xorshifted.rotate_right(rot)
    }

    /// A uniform number in `0..n` without modulo bias (Lemire's method). `n` must be > 0.
    pub fn below(&mut self, n: u32) -> u32 {
        debug_assert!(n > 0);
        let mut m = (self.next_u32() as u64) * (n as u64);
        let mut low = m as u32;
        if low < n {
            let threshold = n.wrapping_neg() % n;
            while low < threshold {
                m = (self.next_u32() as u64) * (n as u64);
                low = m as u32;
            }
        }
        (m >> 32) as u32
    }

    /// A version-4-shaped UUID, as the PV provisioner names volumes (`pvc-<uuid>`).
    pub fn uuid(&mut self) -> String {
        let mut b = [0u8; 16];
        for chunk in b.chunks_mut(4) {
            chunk.copy_from_slice(&self.next_u32().to_le_bytes());
        }
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_output_is_stable() {
        // PCG32 reference (pcg32-demo, seed 42, stream 54) first outputs.
        let mut r = Pcg32::new(42, 54);
        let got: Vec<u32> = (0..3).map(|_| r.next_u32()).collect();
        assert_eq!(got, vec![0xa15c02b7, 0x7b47f409, 0xba1d3330]);
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Pcg32::new(7, 1);
        assert!((0..1000).all(|_| r.below(3) < 3));
    }
}
