-- Knowledge base v2: source and creation time per document, chunks for retrieval with their own full-text index
-- (the document's title weighted above the chunk text), trigram matching on titles for short queries, and the
-- bus ingestion's seen MessageIds.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE knowledge_documents
    ADD COLUMN source     text        NOT NULL DEFAULT '',
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();

CREATE INDEX knowledge_documents_updated_at ON knowledge_documents (updated_at);
CREATE INDEX knowledge_documents_title_trgm ON knowledge_documents USING gin (title gin_trgm_ops);

CREATE TABLE knowledge_chunks (
    document_id text      NOT NULL REFERENCES knowledge_documents (document_id) ON DELETE CASCADE,
    ordinal     integer   NOT NULL,
    language    regconfig NOT NULL,
    heading     text      NOT NULL,
    body        text      NOT NULL,
    search      tsvector  GENERATED ALWAYS AS (
                    setweight(to_tsvector(language, heading), 'A') ||
                    setweight(to_tsvector(language, body), 'B')) STORED,
    PRIMARY KEY (document_id, ordinal)
);

CREATE INDEX knowledge_chunks_search ON knowledge_chunks USING gin (search);

CREATE TABLE knowledge_ingested_messages (
    message_id  uuid        PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now()
);
