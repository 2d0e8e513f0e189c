//! Golden dump for refactors of the query path: answers many pseudo-random queries (every
//! card, op, version, valid and invalid tensors, params and grids, by op and by OP CODE,
//! with and without the fallback) and prints each result and each family's features, bit
//! for bit. Run it on two builds and diff the outputs:
//!
//! `cargo run --release --example golden_queries > new.txt` (and the same on the base build)
//!
//! The queries depend only on the seed, the card and op lists and the op-param schemas.

use ttnn_op_perf_models::*;

/// xorshift64: the same sequence on every build.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const CARDS: [Card; 5] = [Card::E150, Card::N150, Card::N300, Card::P100, Card::P150];
const DTYPES: [DType; 8] = DType::ALL;

fn dim(r: &mut Rng) -> u32 {
    if r.chance(98) {
        32 * r.pick(&[1, 1, 2, 3, 4, 7, 8, 16, 32, 64, 100, 128, 1000])
    } else {
        r.pick(&[0, 1, 5, 31, 33, 48, 1 << 30, (1 << 30) + 32, u32::MAX])
    }
}

fn shard(r: &mut Rng) -> ShardSpec {
    let (x, y) = if r.chance(90) {
        (r.pick(&[0u8, 0, 1, 3, 7]), r.pick(&[0u8, 0, 1, 3, 7]))
    } else {
        (r.pick(&[10u8, 13, 20]), r.pick(&[9u8, 12]))
    };
    let mut s = ShardSpec::new(
        CoreRange {
            start: (0, 0),
            end: (x, y),
        },
        [
            r.pick(&[0, 32, 64, 96, 128, 512, 1024, 32, 64, 128]),
            r.pick(&[0, 32, 64, 128, 1024, 32, 64]),
        ],
        r.pick(&[ShardOrientation::RowMajor, ShardOrientation::ColMajor]),
    );
    if r.chance(10) {
        s.cores = r.pick(&[0, 1, 5, 1000]);
    }
    s
}

fn memory(r: &mut Rng) -> MemoryConfig {
    let buffer = r.pick(&[BufferType::Dram, BufferType::L1]);
    let layout = if r.chance(65) {
        MemoryLayout::Interleaved
    } else {
        r.pick(&[
            MemoryLayout::HeightSharded,
            MemoryLayout::WidthSharded,
            MemoryLayout::BlockSharded,
            MemoryLayout::NdSharded,
        ])
    };
    let shard = if layout.is_sharded() != r.chance(3) {
        Some(shard(r))
    } else {
        None
    };
    MemoryConfig {
        buffer,
        layout,
        shard,
    }
}

fn layout(r: &mut Rng) -> Layout {
    if r.chance(93) {
        Layout::TILE
    } else {
        r.pick(&[
            Layout::RowMajor,
            Layout::Tile {
                height: 16,
                width: 32,
            },
            Layout::Tile {
                height: 32,
                width: 16,
            },
            Layout::Tile {
                height: 24,
                width: 32,
            },
            Layout::Tile {
                height: 0,
                width: 32,
            },
        ])
    }
}

fn tensor(r: &mut Rng, dims: &[u32]) -> TensorParams {
    let logical: Vec<u32> = dims
        .iter()
        .map(|&d| {
            if r.chance(3) {
                d.saturating_sub(r.pick(&[1, 7, 31]))
            } else {
                d
            }
        })
        .collect();
    let logical = if r.chance(2) {
        &logical[..logical.len().saturating_sub(1)]
    } else {
        &logical
    };
    let dtype = if r.chance(60) {
        DType::Bfloat16
    } else {
        r.pick(&DTYPES)
    };
    TensorParams::new(Shape::padded(dims, logical), dtype, layout(r), memory(r))
}

fn random_dims(r: &mut Rng) -> Vec<u32> {
    let rank = r.pick(&[0, 1, 2, 2, 3, 4, 4, 4, 5, 9]);
    (0..rank)
        .map(|i| {
            if i + 2 < rank && r.chance(70) {
                r.pick(&[1, 1, 2, 8, 12])
            } else {
                dim(r)
            }
        })
        .collect()
}

/// Operands shaped for `op` most of the time, random otherwise.
fn operands(r: &mut Rng, op: Op) -> (Vec<TensorParams>, Option<TensorParams>) {
    let batch: Vec<u32> = if r.chance(50) {
        vec![1, 1]
    } else {
        vec![r.pick(&[1, 2, 8, 12]), r.pick(&[1, 3, 32])]
    };
    let (m, k, n) = (dim(r), dim(r), dim(r));
    let with = |tail: &[u32]| -> Vec<u32> {
        let mut d = batch.clone();
        d.extend_from_slice(tail);
        d
    };
    let mut inputs = match op {
        Op::Matmul if r.chance(80) => {
            let b_dims = if r.chance(50) {
                vec![1, 1, k, n]
            } else {
                with(&[k, n])
            };
            let mut v = vec![tensor(r, &with(&[m, k])), tensor(r, &b_dims)];
            if r.chance(15) {
                v.push(tensor(r, &[1, 1, 32, n]));
            }
            v
        }
        Op::EltwiseBinary if r.chance(80) => {
            let a = tensor(r, &with(&[m, n]));
            match r.below(4) {
                0 => vec![a],
                1 => vec![a, tensor(r, &[1, 1, 32, n])],
                _ => vec![a, tensor(r, &with(&[m, n]))],
            }
        }
        _ if r.chance(70) => vec![tensor(r, &with(&[m, n]))],
        _ => (0..r.below(4))
            .map(|_| {
                let d = random_dims(r);
                tensor(r, &d)
            })
            .collect(),
    };
    if r.chance(1) {
        inputs.clear();
    }
    let output = match r.below(8) {
        0 | 1 => None,
        2..=6 if !inputs.is_empty() => {
            let mut o = inputs[0].with_memory(memory(r));
            if r.chance(30) {
                o = o.with_dtype(r.pick(&DTYPES));
            }
            Some(o)
        }
        _ => {
            let d = random_dims(r);
            Some(tensor(r, &d))
        }
    };
    (inputs, output)
}

/// Params of `op`'s schema with valid values mostly, and every kind of mistake.
fn params(r: &mut Rng, op: Op) -> Vec<OpParam<'static>> {
    let schema = op.params();
    let mut out = vec![];
    for p in schema {
        let required = p.default.is_none();
        if !(r.chance(if required { 95 } else { 50 })) {
            continue;
        }
        let value = match (p.kind, r.below(12)) {
            (_, 0) => r.pick(&[
                ParamValue::Int(3),
                ParamValue::Float(0.5),
                ParamValue::Bool(true),
                ParamValue::Enum("hifi2"),
                ParamValue::Enum("nonsense"),
            ]),
            (ParamKind::Int { min, max }, _) => ParamValue::Int(r.pick(&[
                min,
                max,
                min.saturating_sub(1),
                max.saturating_add(1),
                0,
                1,
                2,
                3,
                4,
                8,
            ])),
            (ParamKind::Float { min, max }, _) => {
                ParamValue::Float(r.pick(&[min, max, (min + max) / 2.0, f64::NAN]))
            }
            (ParamKind::Bool, _) => ParamValue::Bool(r.chance(50)),
            (ParamKind::Enum { values }, _) => ParamValue::Enum(r.pick(values)),
        };
        out.push(OpParam::new(p.key, value));
    }
    if r.chance(3) {
        out.push(OpParam::new("no_such_key", ParamValue::Int(1)));
    }
    if r.chance(3) && !out.is_empty() {
        out.push(out[0]);
    }
    if r.chance(20) {
        // A different order: the schema order must not matter.
        out.reverse();
    }
    out
}

fn main() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let n: usize = std::env::args()
        .nth(1)
        .map_or(400_000, |s| s.parse().expect("a count"));
    for i in 0..n {
        let card = r.pick(&CARDS);
        let device = card.device();
        let fallback = r.chance(20);
        let mut builder = PerfModels::builder(device).card(card).fallback(fallback);
        let pins;
        if r.chance(10) {
            let op = r.pick(&Op::ALL);
            pins = [(op, r.pick(&[1u16, 2]))];
            builder = builder.pins(&pins);
        }
        let models = match builder.build() {
            Ok(m) => m,
            Err(e) => {
                println!("{i}: build: {e:?}");
                continue;
            }
        };
        // Matmul, with the most params and paths, twice as often.
        let op = if r.chance(15) {
            Op::Matmul
        } else {
            r.pick(&Op::ALL)
        };
        let (inputs, output) = operands(&mut r, op);
        let ps = params(&mut r, op);
        let by_name;
        let mut q = match r.below(5) {
            0 => {
                by_name = r.pick(op.spec().op_codes);
                Query::named(by_name, &inputs)
            }
            1 if r.chance(20) => Query::named("UnmodeledDeviceOperation", &inputs),
            _ => Query::new(op, &inputs),
        };
        q = q.params(&ps);
        if let Some(o) = &output {
            q = q.output(o);
        }
        if r.chance(20) {
            q = q.version(r.pick(&[0, 1, 2, 3]));
        }
        if r.chance(15) {
            q = q.grid(CoreGrid::new(
                r.pick(&[0, 1, 2, 5, 8, 13, 20]),
                r.pick(&[1, 4, 8, 10, 11]),
            ));
        }
        let answer = models.query(&q);
        match &answer {
            Ok(e) => println!("{i}: ok {:016x} {e:?}", e.duration_ns.to_bits()),
            Err(e) => println!("{i}: err {e:?} | {e}"),
        }
        for family in Family::ALL {
            if family.ops().contains(&op) {
                match models.features(&q, family) {
                    Ok(f) => {
                        let bits: Vec<String> = f
                            .as_slice()
                            .iter()
                            .map(|x| format!("{:x}", x.to_bits()))
                            .collect();
                        println!("{i}: features {family} {}", bits.join(" "));
                    }
                    Err(e) => println!("{i}: features {family} err {e:?}"),
                }
            }
        }
    }
}
