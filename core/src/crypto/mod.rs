//! Device keys, the blob envelope and pairing (PAKE).
