//! Looking up devices, cards, ops, models and versions: unknown names, what is not loaded or
//! has no model, pins, and model ids.

use super::*;

#[test]
fn unknown_device() {
    let err = Device::from_name("wormhole_c0").unwrap_err();
    assert!(matches!(err, Error::UnknownDevice { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("wormhole_c0") && msg.contains("wormhole_b0") && msg.contains("blackhole"),
        "{msg}"
    );
    assert_eq!(Device::from_name("wormhole_b0"), Ok(Device::WormholeB0));
    assert_eq!(Device::from_name("BLACKHOLE"), Ok(Device::Blackhole));
}

#[test]
fn card_of_another_device() {
    let err = PerfModels::builder(Device::Blackhole)
        .card(Card::N150)
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        Error::UnknownCard {
            device: Device::Blackhole,
            ..
        }
    ));
    assert!(err.to_string().contains("p150"), "{err}");
}

#[test]
fn unknown_op() {
    let msg = fails(
        |m| {
            m.query(&Query::named(
                "UnmodeledDeviceOperation",
                &[dram(&[32, 32])],
            ))
        },
        |e| matches!(e, Error::UnknownOp { name } if name.as_str() == "UnmodeledDeviceOperation"),
    );
    assert!(msg.contains("UnmodeledDeviceOperation"), "{msg}");
}

#[test]
fn op_not_loaded() {
    let models = PerfModels::builder(Device::WormholeB0)
        .ops(&[Op::Matmul])
        .build()
        .unwrap();
    let inputs = [dram(&[32, 32])];
    let err = unary(&models, &inputs).unwrap_err();
    assert_eq!(
        err,
        Error::OpNotLoaded {
            op: Op::EltwiseUnary
        }
    );
    assert_eq!(models.ops().collect::<Vec<_>>(), [Op::Matmul]);
    let pin = PerfModels::builder(Device::WormholeB0)
        .ops(&[Op::Matmul])
        .pins(&[(Op::Reshard, 1)])
        .build();
    assert_eq!(pin.unwrap_err(), Error::OpNotLoaded { op: Op::Reshard });
}

#[test]
fn no_model_for_device() {
    let models = PerfModels::new(Device::Grayskull);
    let x = dram(&[32, 32]);
    let y = TensorParams::tiled(&[32, 32], DType::Bfloat8B, MemoryConfig::DRAM_INTERLEAVED);
    let inputs = [x];
    let err = models
        .query(&Query::new(Op::Typecast, &inputs).output(&y))
        .unwrap_err();
    assert_eq!(
        err,
        Error::NoModelForDevice {
            op: Op::Typecast,
            device: Device::Grayskull
        }
    );
    assert!(!models.ops().any(|op| op == Op::Typecast));
    let only = PerfModels::builder(Device::Grayskull)
        .ops(&[Op::Typecast])
        .build();
    assert_eq!(only.unwrap_err(), err);
}

#[test]
fn no_such_version_lists_the_versions() {
    let inputs = [dram(&[32, 32])];
    let msg = fails(
        |m| {
            m.query(
                &Query::new(Op::EltwiseUnary, &inputs)
                    .params(&exp())
                    .version(99),
            )
        },
        |e| matches!(e, Error::NoSuchVersion { requested: 99, available, .. } if !available.is_empty()),
    );
    let listed = model_versions(Device::WormholeB0, Op::EltwiseUnary)
        .iter()
        .map(|m| m.version.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    assert!(msg.ends_with(&listed), "{msg}");
    let pinned = PerfModels::builder(Device::WormholeB0)
        .pins(&[(Op::Matmul, 42)])
        .build();
    assert!(matches!(
        pinned.unwrap_err(),
        Error::NoSuchVersion { requested: 42, .. }
    ));
}

#[test]
fn pins_route_latest() {
    let models = PerfModels::builder(Device::WormholeB0)
        .pins(&[(Op::Matmul, 1)])
        .build()
        .unwrap();
    assert_eq!(
        models.model(Op::Matmul, Version::Latest).unwrap().version,
        1
    );
    assert_eq!(
        PerfModels::new(Device::WormholeB0)
            .model(Op::Matmul, Version::Latest)
            .unwrap(),
        model_versions(Device::WormholeB0, Op::Matmul)
            .last()
            .unwrap()
    );
}

#[test]
fn long_names_are_cut_not_lost() {
    let long = "X".repeat(200);
    let err = Op::from_name(&long).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains(&"X".repeat(Name::CAP)) && msg.contains("..."),
        "{msg}"
    );
}

#[test]
fn model_ids_resolve_or_say_why_not() {
    let id = ModelId {
        device: Device::WormholeB0,
        op: Op::Matmul,
        version: 1,
    };
    assert_eq!(id.model().unwrap().id(), id);
    let missing = ModelId { version: 99, ..id };
    assert!(matches!(
        missing.model(),
        Err(Error::NoSuchVersion { requested: 99, .. })
    ));
    let elsewhere = ModelId {
        device: Device::Grayskull,
        op: Op::Typecast,
        version: 1,
    };
    assert_eq!(
        elsewhere.model().unwrap_err(),
        Error::NoModelForDevice {
            op: Op::Typecast,
            device: Device::Grayskull
        }
    );
}
