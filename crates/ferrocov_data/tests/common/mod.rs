//! What the combine tests share: a combine request with the defaults `ferrocov combine` uses.

use std::path::{Path, PathBuf};

use ferrocov_data::CombineRequest;

/// Combine `inputs` into `data_file`, paths through `remap`, inputs deleted afterwards.
pub(crate) fn request<'a>(
    data_file: &'a Path,
    inputs: Vec<PathBuf>,
    remap: &'a dyn Fn(&str) -> String,
) -> CombineRequest<'a> {
    CombineRequest {
        data_file,
        inputs,
        only_inputs: false,
        touch: Vec::new(),
        append: false,
        keep: false,
        remap,
        debug: true,
    }
}
