// CDocxCodes is a header (include/CDocxCodes.h); SwiftPM builds a C target only from a source
// file, so this one holds nothing.
#include "CDocxCodes.h"
