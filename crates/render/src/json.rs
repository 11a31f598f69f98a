//! The `compare` JSON contract (documented in `docs/json.md`).
//!
//! [`to_string`] prints exactly the fields of [`Comparison`]. [`to_string_with_inputs`] adds
//! two optional top-level objects, `"inputs": {"a": {…}, "b": {…}}` with the label and byte
//! length of each text; a reader that only knows the contract ignores it (the [`Comparison`]
//! type itself deserializes such output unchanged).
//!
//! Non-finite numbers (which a correct comparison never contains) would be written as `null`.

use serde::Serialize;

use crate::{Comparison, Input};

/// Label and size of one compared text, for the optional `inputs` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct InputMeta {
    /// The label given to the text (file name, or `-` for standard input).
    pub label: String,
    /// Length of the input in bytes as given: every span on this side is within `[0, length]`.
    pub length: usize,
    /// The encoding the input was read in (`UTF-8`, `windows-1252`, `UTF-16LE`, …), when the
    /// front end decoded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// True when the input started with a byte order mark (written with `encoding`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bom: Option<bool>,
}

impl InputMeta {
    fn of(i: &Input<'_>) -> Self {
        InputMeta {
            label: i.label.to_string(),
            length: i.original_len(),
            encoding: i.encoding.map(|e| e.name.to_string()),
            bom: i.encoding.map(|e| e.bom),
        }
    }
}

/// The two [`InputMeta`]s of the optional top-level `inputs` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Inputs {
    /// Document A.
    pub a: InputMeta,
    /// Document B.
    pub b: InputMeta,
}

impl Inputs {
    /// The metadata of two inputs.
    pub fn of(a: &Input<'_>, b: &Input<'_>) -> Self {
        Inputs {
            a: InputMeta::of(a),
            b: InputMeta::of(b),
        }
    }
}

#[derive(Serialize)]
struct WithInputs<'a> {
    #[serde(flatten)]
    comparison: &'a Comparison,
    inputs: Inputs,
}

fn write<T: Serialize>(value: &T, pretty: bool) -> String {
    let out = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    // Serializing these plain structs (string keys, no maps with non-string keys) cannot fail.
    out.expect("a Comparison always serializes to JSON")
}

/// The comparison as JSON, exactly the contract fields; `pretty` indents it.
pub fn to_string(cmp: &Comparison, pretty: bool) -> String {
    write(cmp, pretty)
}

/// The comparison as JSON, with an extra top-level `inputs` object (label and byte length
/// of each text). Every contract field is unchanged.
pub fn to_string_with_inputs(
    cmp: &Comparison,
    a: &Input<'_>,
    b: &Input<'_>,
    pretty: bool,
) -> String {
    write(
        &WithInputs {
            comparison: cmp,
            inputs: Inputs::of(a, b),
        },
        pretty,
    )
}

/// Parses contract JSON back into a [`Comparison`] (extra fields such as `inputs` are ignored).
pub fn from_str(json: &str) -> serde_json::Result<Comparison> {
    serde_json::from_str(json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{A, B, sample, span};
    use serde_json::Value;

    #[test]
    fn round_trip_compact_and_pretty() {
        let cmp = sample();
        for pretty in [false, true] {
            let s = to_string(&cmp, pretty);
            assert_eq!(from_str(&s).unwrap(), cmp);
            assert_eq!(s.contains('\n'), pretty);
        }
    }

    #[test]
    fn exact_field_names_and_shapes() {
        let v: Value = serde_json::from_str(&to_string(&sample(), false)).unwrap();
        let obj = v.as_object().unwrap();
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "added",
                "alignments",
                "changes",
                "coverage",
                "direction",
                "dropped",
                "passages",
                "probability",
                "relation",
                "score"
            ]
        );
        assert_eq!(v["relation"], "near-duplicate");
        assert!(v["score"].is_f64());
        let dir = v["direction"].as_object().unwrap();
        let mut dk: Vec<&str> = dir.keys().map(String::as_str).collect();
        dk.sort();
        assert_eq!(dk, ["confidence", "evidence", "source"]);
        assert_eq!(v["direction"]["source"], "a");
        let ev = &v["direction"]["evidence"][0];
        let mut ek: Vec<&str> = ev.as_object().unwrap().keys().map(String::as_str).collect();
        ek.sort();
        assert_eq!(ek, ["detail", "favours", "kind", "value", "weight"]);
        assert!(v["coverage"]["a"].is_f64() && v["coverage"]["b"].is_f64());
        let al = &v["alignments"][0];
        let mut ak: Vec<&str> = al.as_object().unwrap().keys().map(String::as_str).collect();
        ak.sort();
        assert_eq!(ak, ["a", "b", "kind", "similarity"]);
        let s1 = span(A, "Breaking news from the valley.");
        assert_eq!(al["a"], serde_json::json!([s1.start, s1.end]));
        let b4 = span(B, "All day, the roads remained shut.");
        assert_eq!(
            v["alignments"][3]["b"],
            serde_json::json!([b4.start, b4.end])
        );
        assert_eq!(al["kind"], "verbatim");
        assert_eq!(v["alignments"][1]["kind"], "near-verbatim");
        let ch = &v["changes"][0];
        let mut ck: Vec<&str> = ch.as_object().unwrap().keys().map(String::as_str).collect();
        ck.sort();
        assert_eq!(ck, ["a", "a_span", "b", "b_span", "kind"]);
        assert_eq!(ch["kind"], "name");
        assert_eq!(ch["a"], "Matesgora");
        let d = span(A, "This line was dropped.");
        assert_eq!(v["dropped"], serde_json::json!([[d.start, d.end]]));
        assert_eq!(v["added"].as_array().unwrap().len(), 1);
        assert_eq!(v["changes"][1]["b_span"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn null_direction_serializes_as_null() {
        let mut cmp = sample();
        cmp.direction.source = None;
        let v: Value = serde_json::from_str(&to_string(&cmp, false)).unwrap();
        assert!(v["direction"]["source"].is_null());
        assert_eq!(from_str(&to_string(&cmp, true)).unwrap(), cmp);
    }

    #[test]
    fn inputs_object_is_additive() {
        let cmp = sample();
        let a = Input::new("a \"quoted\".txt", "abc");
        let b = Input::new("b.txt", "ünï");
        let s = to_string_with_inputs(&cmp, &a, &b, true);
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["inputs"]["a"]["label"], "a \"quoted\".txt");
        assert_eq!(v["inputs"]["a"]["length"], 3);
        assert_eq!(v["inputs"]["b"]["length"], "ünï".len());
        // The contract reader still reads the comparison unchanged.
        assert_eq!(from_str(&s).unwrap(), cmp);
        let plain: Value = serde_json::from_str(&to_string(&cmp, false)).unwrap();
        for (k, val) in plain.as_object().unwrap() {
            assert_eq!(&v[k], val, "field {k}");
        }
    }
}
