//! The fieldless enums `Device`, `Card`, `Op` and `Family`, the relations between devices and
//! cards, and the phf maps from device and card names; and the enums the specs share with the
//! runtime (`DType`, `MathFidelity`).

use super::{camel, doc};
use crate::SpecSet;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

pub(super) fn tokens(s: &SpecSet) -> Result<TokenStream, String> {
    let cards: Vec<(&str, &crate::Card)> = s
        .devices
        .iter()
        .flat_map(|d| d.cards.iter().map(move |c| (d.name.as_str(), c)))
        .collect();
    let device = enum_decl(
        "Device",
        "A Tenstorrent chip generation that has model specs in this build.",
        s.devices
            .iter()
            .map(|d| (d.name.as_str(), format!("`{}`", d.name))),
    );
    let card = enum_decl(
        "Card",
        "A board carrying a [`Device`]; cards of one device differ in compute grid and DRAM.",
        cards
            .iter()
            .map(|(d, c)| (c.name.as_str(), format!("`{}`, a `{d}` card", c.name))),
    );
    let op = enum_decl(
        "Op",
        "A TTNN operation with an op spec in this build.",
        s.ops
            .iter()
            .map(|op| (op.name.as_str(), op.summary.clone())),
    );
    let family = enum_decl(
        "Family",
        "A formula family: one cost formula in `src/formulas`, its coefficients fitted per device and version.",
        s.families
            .iter()
            .map(|f| (f.name.as_str(), f.summary.clone())),
    );

    let devices: Vec<_> = s.devices.iter().map(|d| camel(&d.name)).collect();
    let defaults = s.devices.iter().map(|d| camel(&d.default_card().name));
    let card_lists = s.devices.iter().map(|d| {
        let cards = d.cards.iter().map(|c| camel(&c.name));
        quote!(&[#(Card::#cards),*])
    });
    let card_variants: Vec<_> = cards.iter().map(|(_, c)| camel(&c.name)).collect();
    let card_devices = cards.iter().map(|(d, _)| camel(d));

    let mut device_names = phf_codegen::Map::new();
    for d in &s.devices {
        for n in std::iter::once(&d.name).chain(&d.aliases) {
            device_names.entry(n.as_str(), format!("Device::{}", camel(&d.name)));
        }
    }
    let device_names = phf(&device_names.build().to_string())?;
    let mut card_names = phf_codegen::Map::new();
    for (_, c) in &cards {
        card_names.entry(c.name.as_str(), format!("Card::{}", camel(&c.name)));
    }
    let card_names = phf(&card_names.build().to_string())?;

    Ok(quote! {
        #device
        #card
        #op
        #family
        impl Device {
            /// The card a manager built for this device alone uses.
            pub const fn default_card(self) -> Card {
                match self {
                    #(Device::#devices => Card::#defaults,)*
                }
            }
            /// Every card of this device.
            pub const fn cards(self) -> &'static [Card] {
                match self {
                    #(Device::#devices => #card_lists,)*
                }
            }
        }
        impl Card {
            /// The chip generation on this card.
            pub const fn device(self) -> Device {
                match self {
                    #(Card::#card_variants => Device::#card_devices,)*
                }
            }
        }
        /// Device names and aliases (trace `DEVICE ARCH` spellings) -> device.
        pub(crate) static DEVICE_NAMES: phf::Map<&'static str, Device> = #device_names;
        pub(crate) static CARD_NAMES: phf::Map<&'static str, Card> = #card_names;
    })
}

/// The text phf_codegen writes for a map, as tokens.
fn phf(text: &str) -> Result<TokenStream, String> {
    text.parse()
        .map_err(|e| format!("phf_codegen wrote a map that does not lex ({e}): {text}"))
}

/// The enums the specs share with the runtime ([`crate::SHARED_ENUMS`]): `DType`,
/// `MathFidelity`, declared as the enums of the specs are, in the shared lists' order.
pub(super) fn shared() -> TokenStream {
    let enums = crate::SHARED_ENUMS.iter().map(|e| {
        let variants = e
            .values
            .iter()
            .map(|v| (v.name, super::ident(&v.variant()), v.summary.to_string()));
        enum_with_variants(e.type_name, e.summary, variants.collect())
    });
    quote!(#(#enums)*)
}

/// A fieldless enum with `ALL`, `COUNT`, `name()`, `index()` and `Display`, its variants the
/// camel case of the names.
fn enum_decl<'a>(
    ty: &str,
    summary: &str,
    variants: impl Iterator<Item = (&'a str, String)>,
) -> TokenStream {
    let variants = variants.map(|(n, d)| (n, camel(n), d)).collect();
    enum_with_variants(ty, summary, variants)
}

/// [`enum_decl`] with the variants given: (spec name, variant, doc).
fn enum_with_variants(
    ty: &str,
    summary: &str,
    variants: Vec<(&str, Ident, String)>,
) -> TokenStream {
    let ty_doc = doc(summary);
    let ty = super::ident(ty);
    let names: Vec<&str> = variants.iter().map(|(n, _, _)| *n).collect();
    let idents: Vec<&Ident> = variants.iter().map(|(_, v, _)| v).collect();
    let docs = variants.iter().map(|(_, _, d)| doc(d));
    let n = super::usize_lit(variants.len());
    quote! {
        #ty_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #ty {
            #(#docs #idents,)*
        }
        impl #ty {
            /// Number of variants.
            pub const COUNT: usize = #n;
            /// Every variant, in declaration order.
            pub const ALL: [#ty; #n] = [#(#ty::#idents),*];
            /// The spec name (`snake_case`).
            pub const fn name(self) -> &'static str {
                match self {
                    #(#ty::#idents => #names,)*
                }
            }
            /// Position in [`Self::ALL`].
            pub const fn index(self) -> usize {
                self as usize
            }
        }
        impl core::fmt::Display for #ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.name())
            }
        }
    }
}
