-- Knowledge base: documents with a weighted full-text index (title above body), searched by /search.
CREATE TABLE knowledge_documents (
    document_id  text        PRIMARY KEY,
    title        text        NOT NULL,
    body         text        NOT NULL,
    language     regconfig   NOT NULL DEFAULT 'simple',
    tags         text[]      NOT NULL DEFAULT '{}',
    updated_at   timestamptz NOT NULL DEFAULT now(),
    search       tsvector    GENERATED ALWAYS AS (
                     setweight(to_tsvector(language, coalesce(title, '')), 'A') ||
                     setweight(to_tsvector(language, coalesce(body, '')), 'B')) STORED
);

CREATE INDEX knowledge_documents_search ON knowledge_documents USING gin (search);
