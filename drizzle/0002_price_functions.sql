-- Rounds a converted price (in target minor units, fractional) to the currency's rule: the nearest
-- (mode 'nearest'), next ('up') or previous ('down') value of the form k * step + ending.
-- A zero price stays zero; a rule never produces a negative price.
CREATE OR REPLACE FUNCTION chuhai_round_price(amount numeric, step numeric, ending numeric, mode text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN amount IS NULL THEN NULL
    WHEN amount = 0 THEN 0
    ELSE greatest(
      (CASE mode
        WHEN 'up' THEN ceil((amount - ending) / step)
        WHEN 'down' THEN floor((amount - ending) / step)
        ELSE round((amount - ending) / step)
      END) * step + ending,
      CASE WHEN mode = 'down' THEN 0 ELSE ending END
    )::bigint
  END
$$;
