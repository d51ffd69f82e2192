CREATE TABLE orders (id bigserial PRIMARY KEY, customer text NOT NULL, amount numeric(12,2) NOT NULL,
                     note text, created_at timestamptz NOT NULL DEFAULT now());
CREATE PUBLICATION pub_orders FOR TABLE orders;
CREATE ROLE monitor LOGIN PASSWORD 'monitor-demo-pw' CONNECTION LIMIT 3 IN ROLE pg_monitor;
