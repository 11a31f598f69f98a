//! Reading the packed model file (`e5-small-q4.bin`, format "E5S1" version 1).
//!
//! The file is one little-endian image: a header with the encoder's shape, the SentencePiece
//! vocabulary (piece bytes and unigram scores), a per-code-point normalization map, then a
//! directory of named tensors (f32 or Q4_0 blocks) at absolute offsets. This module only turns
//! bytes into checked, owned values; the tokenizer and the encoder live elsewhere.

use crate::EmbedError;

/// Elements per Q4_0 block.
pub(crate) const QK: usize = 32;
/// Bytes per Q4_0 block: an f16 scale and 16 bytes of nibbles.
pub(crate) const Q4_BLOCK_BYTES: usize = 18;

/// The encoder's shape as stated in the header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Header {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub ffn: usize,
    pub vocab_rows: usize,
    pub max_positions: usize,
    pub type_vocab: usize,
    pub eps: f32,
}

/// The tokenizer's data as stored in the file.
#[derive(Debug, Clone)]
pub(crate) struct VocabData {
    pub pieces: Vec<Vec<u8>>,
    pub scores: Vec<f32>,
    pub bos: u32,
    pub eos: u32,
    pub unk: u32,
    /// `(code point, replacement code points)`, as stored (sorted by code point).
    pub norm: Vec<(u32, Vec<u32>)>,
}

/// How a tensor's elements are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DType {
    F32,
    Q4,
}

/// One entry of the tensor directory.
#[derive(Debug, Clone)]
pub(crate) struct TensorEntry {
    pub name: String,
    pub dtype: DType,
    pub len: usize,
    pub offset: usize,
    pub bytes: usize,
}

/// A parsed model image: header, vocabulary and the tensor directory over `data`.
pub(crate) struct ModelFile<'a> {
    pub header: Header,
    pub vocab: VocabData,
    pub tensors: Vec<TensorEntry>,
    pub data: &'a [u8],
}

struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], EmbedError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        match end {
            Some(end) => {
                let s = &self.data[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => Err(EmbedError::Format(format!(
                "truncated while reading {what} at byte {}",
                self.pos
            ))),
        }
    }
    fn u32(&mut self, what: &str) -> Result<u32, EmbedError> {
        Ok(u32::from_le_bytes(self.take(4, what)?.try_into().unwrap()))
    }
    fn i32(&mut self, what: &str) -> Result<i32, EmbedError> {
        Ok(i32::from_le_bytes(self.take(4, what)?.try_into().unwrap()))
    }
    fn count(&mut self, what: &str) -> Result<usize, EmbedError> {
        let v = self.i32(what)?;
        usize::try_from(v)
            .map_err(|_| EmbedError::Format(format!("negative {what} ({v}) at byte {}", self.pos)))
    }
    fn u64(&mut self, what: &str) -> Result<u64, EmbedError> {
        Ok(u64::from_le_bytes(self.take(8, what)?.try_into().unwrap()))
    }
    fn f32(&mut self, what: &str) -> Result<f32, EmbedError> {
        Ok(f32::from_le_bytes(self.take(4, what)?.try_into().unwrap()))
    }
}

fn bad(msg: impl Into<String>) -> EmbedError {
    EmbedError::Format(msg.into())
}

/// Parses a whole model image.
pub(crate) fn parse(data: &[u8]) -> Result<ModelFile<'_>, EmbedError> {
    let mut c = Cursor { data, pos: 0 };
    if c.take(4, "magic")? != b"E5S1" {
        return Err(bad("not an E5S1 model file (bad magic)"));
    }
    let version = c.u32("version")?;
    if version != 1 {
        return Err(bad(format!("unsupported format version {version}")));
    }
    let hidden = c.count("hidden size")?;
    let layers = c.count("layer count")?;
    let heads = c.count("head count")?;
    let ffn = c.count("ffn size")?;
    let vocab_rows = c.count("vocab rows")?;
    let max_positions = c.count("max positions")?;
    let type_vocab = c.count("type vocab size")?;
    let eps = c.f32("layernorm eps")?;
    let qk = c.count("block size")?;
    if qk != QK
        || hidden == 0
        || heads == 0
        || !hidden.is_multiple_of(heads)
        || !hidden.is_multiple_of(QK)
    {
        return Err(bad(format!(
            "unsupported shape: hidden {hidden}, heads {heads}, block {qk}"
        )));
    }
    if !ffn.is_multiple_of(QK) || max_positions < 3 || type_vocab == 0 {
        return Err(bad(format!(
            "unsupported shape: ffn {ffn}, max positions {max_positions}"
        )));
    }
    let header = Header {
        hidden,
        layers,
        heads,
        ffn,
        vocab_rows,
        max_positions,
        type_vocab,
        eps,
    };

    let n_pieces = c.count("piece count")?;
    let bos = c.u32("bos id")?;
    let eos = c.u32("eos id")?;
    let _pad = c.u32("pad id")?;
    let unk = c.u32("unk id")?;
    let blob_len = usize::try_from(c.u64("piece blob length")?)
        .map_err(|_| bad("piece blob length overflows"))?;
    let offs_bytes = c.take((n_pieces + 1) * 4, "piece offsets")?;
    let offs: Vec<usize> = offs_bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes(b.try_into().unwrap()) as usize)
        .collect();
    let scores: Vec<f32> = c
        .take(n_pieces * 4, "piece scores")?
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    let blob = c.take(blob_len, "piece bytes")?;
    let mut pieces = Vec::with_capacity(n_pieces);
    for i in 0..n_pieces {
        let (a, b) = (offs[i], offs[i + 1]);
        if a > b || b > blob.len() {
            return Err(bad(format!("piece {i} has bad offsets {a}..{b}")));
        }
        pieces.push(blob[a..b].to_vec());
    }
    for (name, id) in [("bos", bos), ("eos", eos), ("unk", unk)] {
        if id as usize >= n_pieces || id as usize >= vocab_rows {
            return Err(bad(format!("{name} id {id} out of range")));
        }
    }

    let n_norm = c.count("normalization entry count")?;
    let norm_bytes = c.u32("normalization map length")? as usize;
    let norm_data = c.take(norm_bytes, "normalization map")?;
    let mut nc = Cursor {
        data: norm_data,
        pos: 0,
    };
    let mut norm = Vec::with_capacity(n_norm);
    for _ in 0..n_norm {
        let cp = nc.u32("normalization code point")?;
        let n_out = nc.take(1, "normalization length")?[0] as usize;
        let mut outs = Vec::with_capacity(n_out);
        for _ in 0..n_out {
            outs.push(nc.u32("normalization output")?);
        }
        norm.push((cp, outs));
    }
    if !norm.windows(2).all(|w| w[0].0 < w[1].0) {
        return Err(bad("normalization map is not sorted by code point"));
    }

    let n_dir = c.count("tensor count")?;
    let mut tensors = Vec::with_capacity(n_dir);
    for _ in 0..n_dir {
        let name_len = u16::from_le_bytes(c.take(2, "tensor name length")?.try_into().unwrap());
        let name = String::from_utf8_lossy(c.take(name_len as usize, "tensor name")?).into_owned();
        let dtype = match c.take(1, "tensor dtype")?[0] {
            0 => DType::F32,
            1 => DType::Q4,
            d => return Err(bad(format!("tensor {name}: unknown dtype {d}"))),
        };
        let len = c.u32("tensor length")? as usize;
        let offset =
            usize::try_from(c.u64("tensor offset")?).map_err(|_| bad("offset overflow"))?;
        let bytes = usize::try_from(c.u64("tensor size")?).map_err(|_| bad("size overflow"))?;
        let expected = match dtype {
            DType::F32 => len * 4,
            DType::Q4 => len / QK * Q4_BLOCK_BYTES,
        };
        if bytes != expected || (dtype == DType::Q4 && !len.is_multiple_of(QK)) {
            return Err(bad(format!(
                "tensor {name}: {bytes} bytes for {len} elements of {dtype:?}"
            )));
        }
        if offset.checked_add(bytes).is_none_or(|e| e > data.len()) {
            return Err(bad(format!("tensor {name} lies past the end of the file")));
        }
        tensors.push(TensorEntry {
            name,
            dtype,
            len,
            offset,
            bytes,
        });
    }

    Ok(ModelFile {
        header,
        vocab: VocabData {
            pieces,
            scores,
            bos,
            eos,
            unk,
            norm,
        },
        tensors,
        data,
    })
}

impl ModelFile<'_> {
    fn entry(&self, name: &str, dtype: DType, len: usize) -> Result<&TensorEntry, EmbedError> {
        let e = self
            .tensors
            .iter()
            .find(|t| t.name == name)
            .ok_or_else(|| bad(format!("missing tensor {name}")))?;
        if e.dtype != dtype || e.len != len {
            return Err(bad(format!(
                "tensor {name}: expected {len} elements of {dtype:?}, found {} of {:?}",
                e.len, e.dtype
            )));
        }
        Ok(e)
    }

    /// The f32 tensor `name`, which must hold `len` elements.
    pub fn f32s(&self, name: &str, len: usize) -> Result<Vec<f32>, EmbedError> {
        let e = self.entry(name, DType::F32, len)?;
        Ok(self.data[e.offset..e.offset + e.bytes]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
            .collect())
    }

    /// The raw Q4_0 blocks of tensor `name`, which must hold `len` elements.
    pub fn q4_bytes(&self, name: &str, len: usize) -> Result<&[u8], EmbedError> {
        let e = self.entry(name, DType::Q4, len)?;
        Ok(&self.data[e.offset..e.offset + e.bytes])
    }
}

/// IEEE half precision to f32.
pub(crate) fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h & 0x8000) as u32) << 16;
    let exp = ((h >> 10) & 0x1f) as u32;
    let man = (h & 0x3ff) as u32;
    let bits = match (exp, man) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal half: the value is man * 2^-24, exact in f32.
            let v = man as f32 * (1.0 / 16_777_216.0);
            return if sign != 0 { -v } else { v };
        }
        (31, _) => sign | 0x7f80_0000 | (man << 13),
        _ => sign | ((exp + 127 - 15) << 23) | (man << 13),
    };
    f32::from_bits(bits)
}

/// Dequantizes Q4_0 blocks into `out` (which holds 32 values per 18-byte block): byte `j` of a
/// block carries weight `j` in its low nibble and weight `j + 16` in its high nibble, each
/// stored offset by 8 and multiplied by the block's f16 scale.
pub(crate) fn dequantize_q4(blocks: &[u8], out: &mut [f32]) {
    debug_assert_eq!(blocks.len() / Q4_BLOCK_BYTES * QK, out.len());
    for (b, o) in blocks
        .chunks_exact(Q4_BLOCK_BYTES)
        .zip(out.chunks_exact_mut(QK))
    {
        let d = f16_to_f32(u16::from_le_bytes([b[0], b[1]]));
        for j in 0..16 {
            let q = b[2 + j];
            o[j] = ((q & 0x0f) as i32 - 8) as f32 * d;
            o[j + 16] = ((q >> 4) as i32 - 8) as f32 * d;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_precision_values() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x3555), 0.333_251_95);
        assert_eq!(f16_to_f32(0x0001), 5.960_464_5e-8);
        assert_eq!(f16_to_f32(0x0000), 0.0);
        assert!(f16_to_f32(0x7c00).is_infinite());
    }

    #[test]
    fn q4_block_layout() {
        // scale 0.5, byte j = (low nibble j % 16, high nibble 15 - j % 16)
        let mut block = vec![0x00, 0x38];
        for j in 0..16u8 {
            block.push((j & 0x0f) | ((15 - j) << 4));
        }
        let mut out = [0f32; 32];
        dequantize_q4(&block, &mut out);
        assert_eq!(out[0], -4.0); // (0 - 8) * 0.5
        assert_eq!(out[15], 3.5); // (15 - 8) * 0.5
        assert_eq!(out[16], 3.5); // high nibble of byte 0 = 15
        assert_eq!(out[31], -4.0);
    }

    #[test]
    fn rejects_bad_magic_and_truncation() {
        assert!(matches!(parse(b"GGUF...."), Err(EmbedError::Format(_))));
        let mut d = b"E5S1".to_vec();
        d.extend_from_slice(&1u32.to_le_bytes());
        d.extend_from_slice(&384i32.to_le_bytes());
        let err = parse(&d).err().unwrap().to_string();
        assert!(err.contains("truncated"), "{err}");
    }
}
