-- Core records: every record carries the ids of the scopes it belongs to (community, building, household) so
-- that a scope check is one comparison and a scoped list is one indexed range; indexes for keyset pagination.

ALTER TABLE vehicles ADD COLUMN building_id text REFERENCES buildings (id);
UPDATE vehicles v SET building_id = h.building_id FROM households h WHERE h.id = v.household_id;
-- Writers that predate the column (the community loader) leave it out: derive it from the household.
CREATE FUNCTION vehicles_building_of_household() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT h.building_id INTO NEW.building_id FROM households h WHERE h.id = NEW.household_id;
  RETURN NEW;
END
$$;
CREATE TRIGGER vehicles_building BEFORE INSERT OR UPDATE OF household_id ON vehicles
  FOR EACH ROW EXECUTE FUNCTION vehicles_building_of_household();

CREATE INDEX communities_company ON communities (company_id, id);
CREATE INDEX buildings_community_id ON buildings (community_id, id);
CREATE INDEX units_community_id ON units (community_id, id);
CREATE INDEX units_building_id ON units (building_id, id);
CREATE INDEX households_community_id ON households (community_id, id);
CREATE INDEX households_building_id ON households (building_id, id);
CREATE INDEX residents_building_id ON residents (building_id, id);
CREATE INDEX residents_household_id ON residents (household_id, id);
CREATE INDEX vehicles_community_id ON vehicles (community_id, id);
CREATE INDEX vehicles_building_id ON vehicles (building_id, id);
CREATE INDEX vehicles_household_id ON vehicles (household_id, id);
