//! The BERT-style encoder of multilingual-e5-small, run on the CPU in f32.
//!
//! The 4-bit encoder weights are dequantized once at load (about 85 MB of f32); the large word
//! embedding table stays 4-bit and one row is dequantized per token. A batch of texts runs as
//! one `[tokens, hidden]` matrix, so every weight matrix is streamed once per batch through one
//! sgemm; attention is computed per text. Post-LayerNorm layers: `x = LN(x + attn(x))`,
//! `x = LN(x + W2·gelu(W1·x))`; the output is the mean of the last hidden states over all tokens
//! of a text (including `<s>` and `</s>`), as the model was trained.

use crate::EmbedError;
use crate::format::{ModelFile, Q4_BLOCK_BYTES, QK, dequantize_q4};

struct Layer {
    /// Query, key and value projections stacked: `[3 * hidden, hidden]`.
    qkv_w: Vec<f32>,
    qkv_b: Vec<f32>,
    out_w: Vec<f32>,
    out_b: Vec<f32>,
    attn_ln_w: Vec<f32>,
    attn_ln_b: Vec<f32>,
    ffn_in_w: Vec<f32>,
    ffn_in_b: Vec<f32>,
    ffn_out_w: Vec<f32>,
    ffn_out_b: Vec<f32>,
    out_ln_w: Vec<f32>,
    out_ln_b: Vec<f32>,
}

/// Encoder weights.
pub(crate) struct Encoder {
    pub hidden: usize,
    heads: usize,
    ffn: usize,
    pub max_positions: usize,
    eps: f32,
    vocab_rows: usize,
    word_q4: Vec<u8>,
    pos: Vec<f32>,
    token_type: Vec<f32>,
    emb_ln_w: Vec<f32>,
    emb_ln_b: Vec<f32>,
    layers: Vec<Layer>,
}

fn q4_to_f32(file: &ModelFile<'_>, name: &str, len: usize) -> Result<Vec<f32>, EmbedError> {
    let blocks = file.q4_bytes(name, len)?;
    let mut out = vec![0f32; len];
    dequantize_q4(blocks, &mut out);
    Ok(out)
}

impl Encoder {
    pub(crate) fn load(file: &ModelFile<'_>) -> Result<Encoder, EmbedError> {
        let h = file.header;
        let (hd, ff) = (h.hidden, h.ffn);
        let mut layers = Vec::with_capacity(h.layers);
        for l in 0..h.layers {
            let n = |s: &str| format!("l{l}.{s}");
            let mut qkv_w = q4_to_f32(file, &n("q.w"), hd * hd)?;
            qkv_w.extend(q4_to_f32(file, &n("k.w"), hd * hd)?);
            qkv_w.extend(q4_to_f32(file, &n("v.w"), hd * hd)?);
            let mut qkv_b = file.f32s(&n("q.b"), hd)?;
            qkv_b.extend(file.f32s(&n("k.b"), hd)?);
            qkv_b.extend(file.f32s(&n("v.b"), hd)?);
            layers.push(Layer {
                qkv_w,
                qkv_b,
                out_w: q4_to_f32(file, &n("ao.w"), hd * hd)?,
                out_b: file.f32s(&n("ao.b"), hd)?,
                attn_ln_w: file.f32s(&n("aln.w"), hd)?,
                attn_ln_b: file.f32s(&n("aln.b"), hd)?,
                ffn_in_w: q4_to_f32(file, &n("fi.w"), ff * hd)?,
                ffn_in_b: file.f32s(&n("fi.b"), ff)?,
                ffn_out_w: q4_to_f32(file, &n("fo.w"), hd * ff)?,
                ffn_out_b: file.f32s(&n("fo.b"), hd)?,
                out_ln_w: file.f32s(&n("oln.w"), hd)?,
                out_ln_b: file.f32s(&n("oln.b"), hd)?,
            });
        }
        Ok(Encoder {
            hidden: hd,
            heads: h.heads,
            ffn: ff,
            max_positions: h.max_positions,
            eps: h.eps,
            vocab_rows: h.vocab_rows,
            word_q4: file.q4_bytes("emb.word", h.vocab_rows * hd)?.to_vec(),
            pos: file.f32s("emb.pos", h.max_positions * hd)?,
            // Every token has type 0: the first row.
            token_type: file.f32s("emb.type", h.type_vocab * hd)?[..hd].to_vec(),
            emb_ln_w: file.f32s("emb.ln.w", hd)?,
            emb_ln_b: file.f32s("emb.ln.b", hd)?,
            layers,
        })
    }

    /// Mean-pooled (not normalized) last hidden states of each sequence. Every sequence holds
    /// complete model input (`<s> … </s>`) of at most `max_positions` ids below the vocabulary
    /// size.
    pub(crate) fn forward(&self, seqs: &[Vec<u32>]) -> Vec<Vec<f32>> {
        let hd = self.hidden;
        let total: usize = seqs.iter().map(Vec::len).sum();
        if total == 0 {
            return seqs.iter().map(|_| vec![0.0; hd]).collect();
        }
        let mut x = vec![0f32; total * hd];
        let row_bytes = hd / QK * Q4_BLOCK_BYTES;
        let mut t = 0;
        for seq in seqs {
            for (p, &id) in seq.iter().enumerate() {
                let id = (id as usize).min(self.vocab_rows - 1);
                let row = &mut x[t * hd..(t + 1) * hd];
                dequantize_q4(&self.word_q4[id * row_bytes..(id + 1) * row_bytes], row);
                let pos = &self.pos[p * hd..(p + 1) * hd];
                for i in 0..hd {
                    row[i] += pos[i] + self.token_type[i];
                }
                t += 1;
            }
        }
        layer_norm(&mut x, None, &self.emb_ln_w, &self.emb_ln_b, hd, self.eps);

        let mut qkv = vec![0f32; total * 3 * hd];
        let mut ctx = vec![0f32; total * hd];
        let mut proj = vec![0f32; total * hd];
        let mut mid = vec![0f32; total * self.ffn];
        let max_len = seqs.iter().map(Vec::len).max().unwrap_or(0);
        let mut probs = vec![0f32; max_len];
        let head_dim = hd / self.heads;
        let scale = 1.0 / (head_dim as f32).sqrt();
        for ly in &self.layers {
            linear(&x, total, hd, &ly.qkv_w, &ly.qkv_b, &mut qkv);
            let mut start = 0;
            for seq in seqs {
                let len = seq.len();
                for h in 0..self.heads {
                    for t in start..start + len {
                        let q = &qkv[t * 3 * hd + h * head_dim..][..head_dim];
                        let mut mx = f32::NEG_INFINITY;
                        for (s, pr) in probs[..len].iter_mut().enumerate() {
                            let k = &qkv[(start + s) * 3 * hd + hd + h * head_dim..][..head_dim];
                            let d = dot(q, k) * scale;
                            *pr = d;
                            mx = mx.max(d);
                        }
                        let mut sum = 0.0;
                        for pr in &mut probs[..len] {
                            *pr = (*pr - mx).exp();
                            sum += *pr;
                        }
                        let inv = 1.0 / sum;
                        let c = &mut ctx[t * hd + h * head_dim..][..head_dim];
                        c.fill(0.0);
                        for (s, &pr) in probs[..len].iter().enumerate() {
                            let v =
                                &qkv[(start + s) * 3 * hd + 2 * hd + h * head_dim..][..head_dim];
                            let p = pr * inv;
                            for (ci, vi) in c.iter_mut().zip(v) {
                                *ci += p * vi;
                            }
                        }
                    }
                }
                start += len;
            }
            linear(&ctx, total, hd, &ly.out_w, &ly.out_b, &mut proj);
            layer_norm(
                &mut x,
                Some(&proj),
                &ly.attn_ln_w,
                &ly.attn_ln_b,
                hd,
                self.eps,
            );
            linear(&x, total, hd, &ly.ffn_in_w, &ly.ffn_in_b, &mut mid);
            for v in &mut mid {
                *v = gelu(*v);
            }
            linear(
                &mid,
                total,
                self.ffn,
                &ly.ffn_out_w,
                &ly.ffn_out_b,
                &mut proj,
            );
            layer_norm(
                &mut x,
                Some(&proj),
                &ly.out_ln_w,
                &ly.out_ln_b,
                hd,
                self.eps,
            );
        }

        let mut out = Vec::with_capacity(seqs.len());
        let mut start = 0;
        for seq in seqs {
            let mut m = vec![0f32; hd];
            for t in start..start + seq.len() {
                for (mi, xi) in m.iter_mut().zip(&x[t * hd..(t + 1) * hd]) {
                    *mi += xi;
                }
            }
            let inv = 1.0 / seq.len().max(1) as f32;
            m.iter_mut().for_each(|v| *v *= inv);
            out.push(m);
            start += seq.len();
        }
        out
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `y[rows, out] = x[rows, inp] · wᵀ + b`, with `w` stored `[out, inp]` row-major.
fn linear(x: &[f32], rows: usize, inp: usize, w: &[f32], b: &[f32], y: &mut [f32]) {
    let out = b.len();
    debug_assert_eq!(w.len(), out * inp);
    let y = &mut y[..rows * out];
    for r in y.chunks_exact_mut(out) {
        r.copy_from_slice(b);
    }
    // SAFETY: the slices hold rows*inp, out*inp and rows*out elements, matching the
    // dimensions and strides passed (x row-major, w read transposed, y row-major).
    unsafe {
        matrixmultiply::sgemm(
            rows,
            inp,
            out,
            1.0,
            x.as_ptr(),
            inp as isize,
            1,
            w.as_ptr(),
            1,
            inp as isize,
            1.0,
            y.as_mut_ptr(),
            out as isize,
            1,
        );
    }
}

/// `x = LayerNorm(x + y)` row by row (or `LayerNorm(x)` without `y`).
fn layer_norm(x: &mut [f32], y: Option<&[f32]>, w: &[f32], b: &[f32], hd: usize, eps: f32) {
    for (t, r) in x.chunks_exact_mut(hd).enumerate() {
        if let Some(y) = y {
            for (ri, yi) in r.iter_mut().zip(&y[t * hd..(t + 1) * hd]) {
                *ri += yi;
            }
        }
        let mean = r.iter().sum::<f32>() / hd as f32;
        let var = r.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / hd as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for i in 0..hd {
            r[i] = (r[i] - mean) * inv * w[i] + b[i];
        }
    }
}

/// The exact (erf) GELU.
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + libm::erff(x * std::f32::consts::FRAC_1_SQRT_2))
}
