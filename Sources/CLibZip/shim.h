// libzip (Debian's libzip-dev), used only by the CMarkup target to read Word's ZIP archive.
#include <zip.h>
