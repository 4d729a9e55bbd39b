//! Opaque handles: how a C pointer is turned back into the Rust value it stands for.
//!
//! Every handle type is a `#[repr(C)]` struct with no fields C can see; the Rust side is a
//! `Box<T>` (owned by one C variable) or an `Arc<T>` (shareable across threads). These helpers
//! are the only places that convert, so each handle is always read back as what it was made as.

use std::sync::Arc;

use crate::error::FfiError;

/// Moves `value` into a new handle owned by C.
pub(crate) fn boxed<T, H>(value: T) -> *mut H {
    Box::into_raw(Box::new(value)).cast::<H>()
}

/// Borrows a boxed handle.
///
/// # Safety
/// `ptr` is NULL or was made by [`boxed`] with the same `T` and not freed.
pub(crate) unsafe fn borrow_box<'a, T, H>(
    ptr: *mut H,
    name: &'static str,
) -> Result<&'a mut T, FfiError> {
    // SAFETY: as promised by the caller, a live `Box<T>` or NULL.
    unsafe { ptr.cast::<T>().as_mut() }.ok_or(FfiError::Null(name))
}

/// Takes a boxed handle back (the C pointer must not be used again).
///
/// # Safety
/// `ptr` is NULL or was made by [`boxed`] with the same `T` and not freed.
pub(crate) unsafe fn take_box<T, H>(ptr: *mut H) -> Option<Box<T>> {
    if ptr.is_null() {
        None
    } else {
        // SAFETY: as promised by the caller, a live `Box<T>` given up by C here.
        Some(unsafe { Box::from_raw(ptr.cast::<T>()) })
    }
}

/// Moves `value` into a new shared handle.
pub(crate) fn shared<T, H>(value: T) -> *mut H {
    Arc::into_raw(Arc::new(value)).cast_mut().cast::<H>()
}

/// A new reference to a shared handle's value (the handle stays valid).
///
/// # Safety
/// `ptr` is NULL or was made by [`shared`] with the same `T` and not freed.
pub(crate) unsafe fn clone_arc<T, H>(
    ptr: *const H,
    name: &'static str,
) -> Result<Arc<T>, FfiError> {
    if ptr.is_null() {
        return Err(FfiError::Null(name));
    }
    let ptr = ptr.cast::<T>();
    // SAFETY: a live `Arc<T>` made by `shared`: add one count, then take that count.
    unsafe {
        Arc::increment_strong_count(ptr);
        Ok(Arc::from_raw(ptr))
    }
}

/// Releases a shared handle (NULL is a no-op).
///
/// # Safety
/// `ptr` is NULL or was made by [`shared`] with the same `T` and is released once.
pub(crate) unsafe fn release_arc<T, H>(ptr: *const H) {
    if !ptr.is_null() {
        // SAFETY: the count C held is given back here, once.
        drop(unsafe { Arc::from_raw(ptr.cast::<T>()) });
    }
}
