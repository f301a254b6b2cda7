#ifndef CDOCXCODES_H
#define CDOCXCODES_H

// What CMarkup's jb_docx_document_xml returns, and CLoader's jb_forms_loaded_docx_document_xml
// passes on (JB_FORMS_UNAVAILABLE aside): the one list both C targets use. A header of its
// own, in a target of its own that links nothing, so that CLoader (in the program) can name
// the codes without depending on CMarkup, which lives only in libJianbaoForms.so with libxml2
// and libzip (LazyFormsTests checks that the program maps none of them).
enum {
    JB_DOCX_OK = 0,
    JB_DOCX_NOT_ZIP = 1,      // no ZIP archive libzip can open (damaged or not a ZIP)
    JB_DOCX_NO_DOCUMENT = 2,  // no word/document.xml in it
    JB_DOCX_TOO_LARGE = 3,    // its directory says more than `limit` bytes
    JB_DOCX_DAMAGED = 4,      // it cannot be unpacked: bad data, bad CRC, or more than it said
    JB_DOCX_NO_MEMORY = -2
};

#endif
