-- A device's name as its person gave it when linking it ("laptop"),
-- shown next to its safety number. NULL when none was given (the first
-- phone of each partner, paired before labels existed).
ALTER TABLE space_devices ADD COLUMN label TEXT;
