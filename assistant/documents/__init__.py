"""Documents officials add themselves: regulations, local plans and notices they hold.

The plan cites many documents whose text is not in the corpus (state council regulations,
standards, the prefecture's work schemes). Officials have those files as .txt/.docx/.pdf
and want them answerable and citable like the plan and the laws. One module per job:

- ``extract``: a registry of file types, each turning bytes into text within the limits
  set in ``Settings`` (decompressed size, zip entries, paragraphs, PDF pages) and with
  encodings detected, never guessed into mojibake;
- ``parse``: the text into clauses by shape (regulation by article, plan by heading, else
  by paragraph);
- ``store``: the manifest, the lock shared with the index, and transactions; one
  ``add_and_reindex`` for the CLI and the app;
- ``titles``: the document record and when a question really names a document.
"""

import os  # noqa: F401 - tests patch documents.os.replace to simulate a full disk

from assistant.documents.extract import FILE_TYPES, Limits, extract_text, suffixes, upload_types
from assistant.documents.parse import looks_like_title, parse_document
from assistant.documents.store import (ADDED, ALREADY_PRESENT, JOURNAL, MANIFEST, STAGING_PREFIX, AddOutcome,
                                       AddResult, add_and_reindex, add_file, add_files, corpus_lock, load_added,
                                       read_manifest, recover_interrupted, remove_and_reindex, remove_document)
from assistant.documents.titles import (AddedDocument, DocumentError, document_named_in, find_codes,
                                        title_evidence)

SUPPORTED = suffixes()

__all__ = ["AddedDocument", "AddResult", "AddOutcome", "DocumentError", "add_and_reindex", "add_file", "add_files",
           "remove_and_reindex", "remove_document", "load_added", "parse_document", "extract_text", "read_manifest",
           "find_codes", "looks_like_title", "title_evidence", "document_named_in", "recover_interrupted",
           "corpus_lock", "FILE_TYPES", "Limits", "SUPPORTED", "upload_types", "ADDED", "ALREADY_PRESENT",
           "MANIFEST", "JOURNAL", "STAGING_PREFIX"]
