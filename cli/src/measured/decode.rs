//! The Blackhole decode matmul sweeps (`more_sweeps/bh_decode_matmul/`): five formats, each a
//! decode matmul as tt-mlir compiles it.

use super::sweep::{Cell, dim, duration, sweep_row};
use ttnn_op_perf_models::trace::TraceRow;
use ttnn_op_perf_models::{
    BufferType, CoreGrid, CoreRange, DType, Device, Hardware, MemoryConfig, MemoryLayout,
    OwnedParamValue, ShardOrientation, ShardSpec, TensorParams,
};

/// The Blackhole decode matmul sweeps of `more_sweeps/bh_decode_matmul/` (tenstorrent/tt-mlir
/// `ds-perf/`, described by its `SOURCE_README.md`), told apart by their headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DecodeSweep {
    /// `kernel,cores,in0_block_w,us,...`: one shape, mcast against DS.
    CoreCount,
    /// `config,model,role,K,N,dtype,in0_cores,in0_block_w,...,status,us,...`.
    DsConfig,
    /// `config,K,N,in0_cores,in0_block_w,burst_tiles,burst_kb,median_us,...`.
    DsIsolated,
    /// `config,K,N,dtype,kernel,cores,in0_block_w,us,...`.
    DtypeCores,
    /// `model,role,K,N,dtype,in0_block_w,lofi_us,...,hifi2_us,...`.
    Fidelity,
}

impl DecodeSweep {
    pub(super) fn of(has: &dyn Fn(&str) -> bool) -> Option<DecodeSweep> {
        Some(if has("lofi_us") && has("hifi2_us") {
            DecodeSweep::Fidelity
        } else if has("median_us") && has("in0_cores") {
            DecodeSweep::DsIsolated
        } else if has("status") && has("in0_cores") && has("us") {
            DecodeSweep::DsConfig
        } else if has("kernel") && has("dtype") && has("cores") && has("us") {
            DecodeSweep::DtypeCores
        } else if has("kernel") && has("cores") && has("in0_block_w") && has("us") {
            DecodeSweep::CoreCount
        } else {
            return None;
        })
    }
}

/// The worker grid of the Blackhole card the decode sweeps ran on: 110 cores, 11 x 10
/// (`SOURCE_README.md`, "n150 differences": "10x11 = 110"; the `*.percore.csv` files show
/// 110-core ops).
const DECODE_GRID: CoreGrid = CoreGrid::new(11, 10);

/// How one decode matmul ran.
#[derive(Debug, Clone, Copy)]
struct Decode {
    k: u32,
    n: u32,
    weights: DType,
    /// DRAM-sharded program config, else 1D multicast.
    ds: bool,
    /// Cores the activations are width-sharded over: the in0 cores of a DS config, the
    /// config's grid for 1D multicast.
    cores: u32,
    in0_block_w: u32,
    fidelity: &'static str,
    ns: f64,
}

/// Rows of one record of a decode sweep (see [`decode_row`] for what each row assumes).
///
/// Per file (`SOURCE_README.md` and `../shared/data/README.md`; checked against each other):
/// - `ds_config_sweep.csv`: DS, HiFi2 (its `q3b_down_c8_w43`, 79.7 us in the isolated sweep,
///   is the fidelity sweep's HiFi2 time of that op, 79.7; LoFi is 53.8). Rows whose status is
///   not `ok` (`rejected_l1`: no time) are configurations that did not compile: no row.
/// - `ds_isolated_sweep.csv`: DS, bfp8, HiFi2 (as above).
/// - `fidelity_sweep.csv`: DS with the compiler's 8 in0 cores; two rows per record, LoFi and
///   HiFi2.
/// - `dtype_w_cores_matrix.csv`: DS or mcast as its `kernel` column says, LoFi: its
///   `ds_bfp8_w4` (4096 x 14336, 129.9 us, 94% of 512 GB/s) is the fidelity sweep's LoFi
///   rate (qwen_3_8b gate/up 4096 x 12288 bfp8 LoFi 111.7 us, x 14336 / 12288 = 130.3 us;
///   HiFi2 would be 203 us), and its `ds_bfp4_w8` (105.2 us) the fidelity sweep's LoFi time
///   of the same bfp4 op (llama_3_1_8b gate/up, 105.4 us; HiFi2 195.2).
/// - `core_count_sweep.csv` (no shape column): falcon3_7b `down`, K = 23040, N = 3072, bfp8,
///   HiFi2: its `ds,8,18` row (236.0 us) is `ds_config`'s `f7b_down_c8_w18` (236.3 us) and
///   the isolated sweep's (236.0 us), and each row's `gbs * us` is K * N * 1.0625 B =
///   75.2 MB (e.g. 318.7 GB/s x 236.0 us, 261.0 GB/s x 288.2 us).
pub(super) fn decode_rows(kind: DecodeSweep, cell: &Cell<'_>) -> Result<Vec<TraceRow>, String> {
    let text = |c: &str| cell(c).ok_or_else(|| format!("no `{c}`"));
    let weights = |c: &str| match text(c)? {
        "bfp8" => Ok(DType::Bfloat8B),
        "bfp4" => Ok(DType::Bfloat4B),
        other => Err(format!("`{c}` is `{other}`, not bfp8 or bfp4")),
    };
    let kernel = || match text("kernel")? {
        "ds" | "DS" => Ok(true),
        "mcast" => Ok(false),
        other => Err(format!("`kernel` is `{other}`, not ds or mcast")),
    };
    let us = |c: &str| duration(cell, c).map(|us| us * 1000.0);
    let rows = match kind {
        DecodeSweep::CoreCount => vec![Decode {
            k: 23040,
            n: 3072,
            weights: DType::Bfloat8B,
            ds: kernel()?,
            cores: dim(cell, "cores")?,
            in0_block_w: dim(cell, "in0_block_w")?,
            fidelity: "hifi2",
            ns: us("us")?,
        }],
        DecodeSweep::DsConfig => {
            if text("status")? != "ok" {
                return Ok(Vec::new());
            }
            vec![Decode {
                k: dim(cell, "K")?,
                n: dim(cell, "N")?,
                weights: weights("dtype")?,
                ds: true,
                cores: dim(cell, "in0_cores")?,
                in0_block_w: dim(cell, "in0_block_w")?,
                fidelity: "hifi2",
                ns: us("us")?,
            }]
        }
        DecodeSweep::DsIsolated => vec![Decode {
            k: dim(cell, "K")?,
            n: dim(cell, "N")?,
            weights: DType::Bfloat8B,
            ds: true,
            cores: dim(cell, "in0_cores")?,
            in0_block_w: dim(cell, "in0_block_w")?,
            fidelity: "hifi2",
            ns: us("median_us")?,
        }],
        DecodeSweep::DtypeCores => vec![Decode {
            k: dim(cell, "K")?,
            n: dim(cell, "N")?,
            weights: weights("dtype")?,
            ds: kernel()?,
            cores: dim(cell, "cores")?,
            in0_block_w: dim(cell, "in0_block_w")?,
            fidelity: "lofi",
            ns: us("us")?,
        }],
        DecodeSweep::Fidelity => {
            let base = Decode {
                k: dim(cell, "K")?,
                n: dim(cell, "N")?,
                weights: weights("dtype")?,
                ds: true,
                cores: 8,
                in0_block_w: dim(cell, "in0_block_w")?,
                fidelity: "lofi",
                ns: us("lofi_us")?,
            };
            vec![
                base,
                Decode {
                    fidelity: "hifi2",
                    ns: us("hifi2_us")?,
                    ..base
                },
            ]
        }
    };
    rows.into_iter().map(decode_row).collect()
}

/// One decode matmul `[1, 1, 32, K] @ [K, N]` on a 110-core Blackhole p150 (8 DRAM banks),
/// as tt-mlir compiles it for the sweeps (`SOURCE_README.md`), read so:
/// - **Activations** `a`: bfloat16, width-sharded in L1 over `cores` cores (`K / 32 / cores`
///   tiles per core, rounded up; a shard grid of that many cores row-major on the 11 x 10
///   grid), as the DS config requires of in0 (tt-metal
///   `matmul_multi_core_reuse_dram_sharded_optimized`: in0 width-sharded in L1) and as the
///   decode graphs shard it for 1D multicast too.
/// - **Weights** `b`: bfp8 or bfp4 `[K, N]`; for DS width-sharded in DRAM over the 8 banks
///   (`N / 32 / 8` tiles per bank, rounded up: the runbook's `shard_n = padded_N / 8 / 32`);
///   for 1D multicast interleaved in DRAM.
/// - **Output**: bfloat16 `[1, 1, 32, N]` width-sharded in L1 over the activations' cores (the
///   DS config writes its output sharded like in0; a width-sharded 1D multicast does too).
/// - **Program config**: `dram_sharded` (grid: the card's 11 x 10 workers) or `mcast_1d`
///   with the sweep's core count as the grid (the most square grid of that many cores on the
///   p150's 13 x 10 compute grid: 96 cores are 12 x 8, which the 11 x 10 cores cannot be; the
///   1D split only counts them); `in0_block_w` and `math_fidelity` as the sweep gives them.
/// - Times are the sweep's medians in microseconds, read as ns.
fn decode_row(d: Decode) -> Result<TraceRow, String> {
    let tiles = |x: u32| x.div_ceil(32);
    if d.k == 0 || d.n == 0 || d.cores == 0 || d.cores > DECODE_GRID.cores() {
        return Err(format!(
            "K = {}, N = {} on {} cores is not a decode matmul on 110 cores",
            d.k, d.n, d.cores
        ));
    }
    let hw = Hardware::of(Device::Blackhole.default_card());
    // The in0 (and output) shard grid: `cores` cores row-major on the 11 x 10 grid; its
    // bounding range covers whole rows but the last.
    let rows = d.cores.div_ceil(DECODE_GRID.x as u32);
    let cols = if rows > 1 {
        DECODE_GRID.x as u32
    } else {
        d.cores
    };
    let range = CoreRange::of_grid(CoreGrid::new(cols as u8, rows as u8));
    let width_sharded = |buffer: BufferType, range: CoreRange, cores: u32, shape: [u32; 2]| {
        let mut spec = ShardSpec::new(range, shape, ShardOrientation::RowMajor);
        spec.cores = cores;
        MemoryConfig::sharded(buffer, MemoryLayout::WidthSharded, spec)
    };
    let in_l1 = |width: u32| {
        width_sharded(
            BufferType::L1,
            range,
            d.cores,
            [32, tiles(width).div_ceil(d.cores) * 32],
        )
    };
    let banks = hw.dram_channels;
    let b_memory = if d.ds {
        width_sharded(
            BufferType::Dram,
            CoreRange::of_grid(CoreGrid::new(banks as u8, 1)),
            banks,
            [d.k, tiles(d.n).div_ceil(banks) * 32],
        )
    } else {
        MemoryConfig::DRAM_INTERLEAVED
    };
    let grid = if d.ds {
        DECODE_GRID
    } else {
        CoreGrid::most_square(d.cores, hw.compute_grid)
            .ok_or_else(|| format!("{} cores do not fit a {} grid", d.cores, hw.compute_grid))?
    };
    let config = if d.ds { "dram_sharded" } else { "mcast_1d" };
    let mut row = sweep_row(
        "matmul",
        vec![
            ("program_config", OwnedParamValue::Enum(config.into())),
            ("in0_block_w", OwnedParamValue::Int(d.in0_block_w as i64)),
            ("math_fidelity", OwnedParamValue::Enum(d.fidelity.into())),
        ],
    );
    row.device = Device::Blackhole;
    row.inputs = vec![
        TensorParams::tiled(&[1, 1, 32, d.k], DType::Bfloat16, in_l1(d.k)),
        TensorParams::tiled(&[d.k, d.n], d.weights, b_memory),
    ];
    row.output = Some(TensorParams::tiled(
        &[1, 1, 32, d.n],
        DType::Bfloat16,
        in_l1(d.n),
    ));
    row.grid = Some(grid);
    row.measured_ns = Some(d.ns);
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measured::read;

    #[test]
    fn decode_sweeps_read_as_blackhole_matmuls() {
        let dir = tempfile::tempdir().unwrap();
        let read_text = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            read(&path, None).unwrap()
        };
        let param = |row: &TraceRow, key: &str| {
            row.params
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        // Two fidelities per record; DS with 8 in0 cores.
        let m = read_text(
            "fidelity_sweep.csv",
            "model,role,K,N,dtype,in0_block_w,lofi_us,lofi_gbs,lofi_pct_512,lofi_pcc,hifi2_us,hifi2_gbs,hifi2_pct_512,hifi2_pcc,speedup,pcc_delta\n\
             qwen_2_5_3b,down,11008,2048,bfp8,43,53.8,445.4,87.0,0.99,79.7,300.6,58.7,0.99,1.48,4.6e-05\n",
        );
        assert!(m.malformed.is_empty());
        let [lofi, hifi2] = &m.rows[..] else {
            panic!("{} rows", m.rows.len())
        };
        assert_eq!((lofi.line, hifi2.line), (2, 2));
        assert_eq!(
            (lofi.measured_ns, hifi2.measured_ns),
            (Some(53800.0), Some(79700.0))
        );
        assert_eq!(
            param(lofi, "math_fidelity"),
            OwnedParamValue::Enum("lofi".into())
        );
        assert_eq!(
            param(hifi2, "math_fidelity"),
            OwnedParamValue::Enum("hifi2".into())
        );
        assert_eq!(
            param(lofi, "program_config"),
            OwnedParamValue::Enum("dram_sharded".into())
        );
        assert_eq!(param(lofi, "in0_block_w"), OwnedParamValue::Int(43));
        assert_eq!(lofi.device, Device::Blackhole);
        assert_eq!(lofi.grid, Some(CoreGrid::new(11, 10)));
        let (a, b) = (lofi.inputs[0], lofi.inputs[1]);
        assert_eq!(
            a.shape(),
            &ttnn_op_perf_models::Shape::new(&[1, 1, 32, 11008])
        );
        // 344 K tiles over 8 in0 cores: 43 tiles per shard.
        let a_shard = a.memory().shard.unwrap();
        assert_eq!((a_shard.cores, a_shard.shape), (8, [32, 43 * 32]));
        assert_eq!(a.memory().layout, MemoryLayout::WidthSharded);
        // 64 N tiles over the 8 DRAM banks: 8 tiles per bank.
        assert_eq!(b.dtype(), DType::Bfloat8B);
        assert!(b.memory().is_dram());
        assert_eq!(b.memory().shard.unwrap().shape, [11008, 8 * 32]);
        // A rejected configuration is no row; DS and bfp4 as given.
        let m = read_text(
            "ds_config_sweep.csv",
            "config,model,role,K,N,dtype,in0_cores,in0_block_w,shard_n,burst_kb,is_compiler_choice,status,us,gbs,pct_of_512\n\
             f7b_down_c24_w30,falcon3_7b,down,23040,3072,bfp8,24,30,12,382.5,False,rejected_l1,,,\n\
             l1b_gateup_c16_w8,llama_3_1_8b,gate/up,4096,14336,bfp4,16,8,56,252.0,False,ok,195.4,169.1,33.0\n",
        );
        assert!(m.malformed.is_empty());
        assert_eq!(m.rows.len(), 1);
        assert_eq!(m.rows[0].line, 3);
        assert_eq!(m.rows[0].inputs[1].dtype(), DType::Bfloat4B);
        assert_eq!(m.rows[0].inputs[0].memory().shard.unwrap().cores, 16);
        assert_eq!(
            param(&m.rows[0], "math_fidelity"),
            OwnedParamValue::Enum("hifi2".into())
        );
        // The core-count sweep's one shape; mcast is interleaved weights on that many cores.
        let m = read_text(
            "core_count_sweep.csv",
            "kernel,cores,in0_block_w,us,gbs,pct_of_512\nmcast,96,8,193.5,388.7,75.9\nds,8,18,236.0,318.7,62.2\n",
        );
        let [mcast, ds] = &m.rows[..] else {
            panic!("{} rows", m.rows.len())
        };
        assert_eq!(
            mcast.inputs[1].shape(),
            &ttnn_op_perf_models::Shape::new(&[23040, 3072])
        );
        assert_eq!(mcast.inputs[1].memory(), MemoryConfig::DRAM_INTERLEAVED);
        assert_eq!(mcast.grid, Some(CoreGrid::new(12, 8)));
        assert_eq!(
            param(mcast, "program_config"),
            OwnedParamValue::Enum("mcast_1d".into())
        );
        assert_eq!(
            param(ds, "program_config"),
            OwnedParamValue::Enum("dram_sharded".into())
        );
        assert_eq!(ds.measured_ns, Some(236000.0));
        // LoFi in the dtype matrix.
        let m = read_text(
            "dtype_w_cores_matrix.csv",
            "config,K,N,dtype,kernel,cores,in0_block_w,us,gbs,pct_of_512,pcc\nds_bfp8_w4,4096,14336,bfp8,DS,8,4,129.9,480.3,93.8,0.999857\n",
        );
        assert_eq!(
            param(&m.rows[0], "math_fidelity"),
            OwnedParamValue::Enum("lofi".into())
        );
        let m = read_text(
            "ds_isolated_sweep.csv",
            "config,K,N,in0_cores,in0_block_w,burst_tiles,burst_kb,median_us,gbs,pct_of_512\nq3b_down_c43_w8,11008,2048,43,8,64,68,85.9,278.9,54.5\n",
        );
        assert_eq!(m.rows[0].measured_ns, Some(85900.0));
        assert_eq!(m.rows[0].inputs[0].memory().shard.unwrap().cores, 43);
    }
}
