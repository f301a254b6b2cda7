// libxml2's HTML and XML parsers (Debian's libxml2-dev), used only by the CMarkup target.
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
