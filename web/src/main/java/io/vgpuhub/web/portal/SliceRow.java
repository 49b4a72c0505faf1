package io.vgpuhub.web.portal;

import io.vgpuhub.metering.usage.UsageSampleView;
import io.vgpuhub.web.slice.SliceView;

/**
 * One line of "my slices": the slice, its latest usage sample (null before the first), and the hours it has been
 * allocated since READY with what they cost at its list price (both null until it was READY).
 */
record SliceRow(SliceView slice, UsageSampleView latest, String hoursAllocated, String costSoFar) {
}
