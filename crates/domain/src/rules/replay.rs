//! Recognising a replayed capture: a frame uploaded again.

use sha2::{Digest, Sha256};

/// The first 64 bits of the frame file's SHA-256. A camera never delivers the same file twice,
/// so a frame seen before was uploaded again: a replay. (A replay re-encoded to new bytes is
/// not caught by this; the random challenge and its issue time stand against it.)
pub fn frame_fingerprint(bytes: &[u8]) -> u64 {
    let digest = Sha256::digest(bytes);
    let mut first = [0u8; 8];
    first.copy_from_slice(digest.get(..8).unwrap_or(&[0; 8]));
    u64::from_be_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_file_has_the_same_fingerprint_and_another_file_another() {
        let frame = b"a frame's bytes";
        assert_eq!(frame_fingerprint(frame), frame_fingerprint(frame));
        assert_ne!(
            frame_fingerprint(frame),
            frame_fingerprint(b"another frame")
        );
        // SHA-256("abc") starts ba7816bf 8f01cfea.
        assert_eq!(frame_fingerprint(b"abc"), 0xba78_16bf_8f01_cfea);
    }
}
