//! The guidance layer: exercises, daily questions, assessments, programs,
//! check-ins and recommendations, built from the data files in core/content/.
