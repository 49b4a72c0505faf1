-- Closing a month also freezes the names its adjustments are shown with (the tenant's, and the cost centre's codes
-- and name), so renaming or recoding them later leaves a closed statement as it was. The close fills these columns
-- before it inserts billing_month; from then on the adjustment trigger refuses every change.
alter table billing_adjustment
    add column frozen_tenant_name        text,
    add column frozen_cost_centre_code   text,
    add column frozen_cost_centre_name   text,
    add column frozen_cost_centre_parent text;
