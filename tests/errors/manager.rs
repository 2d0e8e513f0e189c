//! The manager around the errors: the fallback, batches of queries with failures among them,
//! and the manager's own traits.

use super::*;

#[test]
fn fallback_without_tensors() {
    let models = PerfModels::builder(Device::WormholeB0)
        .fallback(true)
        .build()
        .unwrap();
    let err = models
        .query(&Query::named("UnmodeledDeviceOperation", &[]))
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidTensor {
            op: None,
            problem: TensorProblem::Missing,
            ..
        }
    ));
}

#[test]
fn fallback_answers_what_no_model_does() {
    let models = PerfModels::builder(Device::Grayskull)
        .fallback(true)
        .build()
        .unwrap();
    let x = dram(&[32, 32]);
    let inputs = [x];
    let e = models
        .query(&Query::new(Op::Typecast, &inputs).output(&x))
        .unwrap();
    assert_eq!(
        e.source,
        Source::Fallback {
            device: Device::Grayskull,
            op: Some(Op::Typecast)
        }
    );
    // Caller mistakes still fail with the fallback on.
    let err = models
        .query(&Query::new(Op::EltwiseUnary, &inputs))
        .unwrap_err();
    assert!(matches!(err, Error::MissingParam { .. }));
}

#[test]
fn query_many_keeps_failures_apart() {
    let models = PerfModels::new(Device::WormholeB0);
    let x = [dram(&[1, 1, 1024, 1024])];
    let bad = [dram(&[0, 32])];
    let params = exp();
    let queries = [
        Query::new(Op::EltwiseUnary, &x).params(&params),
        Query::new(Op::EltwiseUnary, &bad).params(&params),
        Query::named("NoSuchOp", &x),
        Query::new(Op::EltwiseUnary, &x).params(&params),
    ];
    let results: Vec<_> = models.query_many(&queries).collect();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0], Ok(good(&models)));
    assert!(matches!(results[1], Err(Error::InvalidTensor { .. })));
    assert!(matches!(results[2], Err(Error::UnknownOp { .. })));
    assert_eq!(results[3], results[0]);
}

#[test]
fn manager_is_send_sync_and_small() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<PerfModels>();
    send_sync::<Error>();
    // The card, the flags, and per op a loaded flag, a pin and the routed latest version
    // (13 bytes an op, padded): small, and growing only with the ops modeled.
    assert!(core::mem::size_of::<PerfModels>() <= 16 + 16 * Op::COUNT);
}
