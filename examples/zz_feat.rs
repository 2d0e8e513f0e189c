// scratch: dump features x coefficients of trace rows. usage: zz_feat FILE LINE... [--device bh]
use ttnn_op_perf_models::trace::read_trace_file;
use ttnn_op_perf_models::*;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let t = read_trace_file(std::path::Path::new(&a[1]), Some(Device::Blackhole)).unwrap();
    for l in &a[2..] {
        let line: u64 = l.parse().unwrap();
        let Some(r) = t.rows.iter().find(|r| r.line == line) else {
            println!("no line {line}");
            continue;
        };
        let models = PerfModels::new(r.device);
        let p = r.op_params();
        let q = r.query(&p);
        let est = models.query(&q);
        let op = Op::from_name(&r.op_code).unwrap();
        let m = models.model(op, Version::Latest).unwrap();
        let fam = m.family();
        let f = models.features(&q, fam).unwrap();
        let c = m.coefficients.values();
        println!(
            "line {line} {} measured {:?} est {:?}",
            r.op_code,
            r.measured_ns,
            est.map(|e| e.duration_ns)
        );
        for (i, co) in fam.coefficients().iter().enumerate() {
            let fv = f.as_slice()[i];
            if fv != 0.0 {
                println!(
                    "  {:24} {:?} feat {:12.1} coef {:10.4} = {:12.1}",
                    co.name,
                    co.term,
                    fv,
                    c.as_slice()[i],
                    fv * c.as_slice()[i]
                );
            }
        }
    }
}
