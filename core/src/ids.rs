//! Dense indexes of different kinds (roles, capabilities, families, directory nodes, entity
//! keys) as distinct types, so one kind cannot be passed where another is expected.

/// Declares an index newtype over `usize`: made with `new` inside the crate, read with
/// `index`.
macro_rules! id_type {
    ($(#[$doc:meta])* $vis:vis struct $name:ident;) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(transparent)]
        $vis struct $name(usize);

        impl $name {
            /// The id of the `index`th item of its table.
            #[inline]
            pub(crate) const fn new(index: usize) -> Self {
                Self(index)
            }

            /// The position of the item in its table.
            #[inline]
            pub const fn index(self) -> usize {
                self.0
            }
        }
    };
}

pub(crate) use id_type;
