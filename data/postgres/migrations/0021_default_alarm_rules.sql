-- Default alarm rules for every community (community_id NULL), so that a fresh command center raises alarms from
-- its first minute. Operators tune or disable them through the API (/api/v1/alarm-rules); a later migration never
-- overwrites an edited rule (ON CONFLICT DO NOTHING). Thresholds:
-- - pump vibration: ISO 10816-3 zone D for small machines starts at 7.1 mm/s RMS (zone C, 4.5, is "plan a repair");
-- - motor and bearing temperatures: class F insulation and grease limits, well above what a healthy pump or lift
--   machine reaches on the hottest afternoon;
-- - smoke: optical detectors alarm at about 0.1–0.2 dB/m obscuration (EN 54-7 response threshold range);
-- - PM2.5: 150 µg/m³ is "heavily polluted" in China's air quality index (HJ 633-2012), held for an hour;
-- - offline: three missed one-minute heartbeats for lifts and pumps, 30 minutes for fire panels (5-minute reports).
INSERT INTO alarm_rules (id, community_id, name, type, device_kind, metric, params, severity, escalate_after_s,
  remind_every_s, auto_work_order, created_by)
VALUES
  ('default-pump-vibration', NULL, '水泵振动超限 Pump vibration high', 'threshold', 'water_pump', 'vibration_rms_mms',
    '{"op": ">", "value": 7.1, "durationS": 300, "clearValue": 5.0}', 'major', 1800, 3600, true, 'system'),
  ('default-pump-motor-hot', NULL, '水泵电机过热 Pump motor hot', 'threshold', 'water_pump', 'motor_temp_c',
    '{"op": ">", "value": 95, "durationS": 300, "clearValue": 85}', 'major', 1800, 3600, true, 'system'),
  ('default-pump-bearing-hot', NULL, '水泵轴承过热 Pump bearing hot', 'threshold', 'water_pump', 'bearing_temp_c',
    '{"op": ">", "value": 80, "durationS": 300, "clearValue": 70}', 'major', 1800, 3600, true, 'system'),
  ('default-lift-motor-hot', NULL, '电梯曳引机过热 Lift machine hot', 'threshold', 'elevator', 'motor_temp_c',
    '{"op": ">", "value": 95, "durationS": 300, "clearValue": 85}', 'major', 1800, 3600, true, 'system'),
  ('default-fire-panel-alarm', NULL, '消防主机报警 Fire panel alarm', 'threshold', 'fire_panel', 'alarms_active',
    '{"op": ">=", "value": 1}', 'critical', 300, 600, false, 'system'),
  ('default-smoke', NULL, '烟感报警 Smoke detected', 'threshold', 'smoke_detector', 'smoke_db_m',
    '{"op": ">", "value": 0.2, "clearValue": 0.1}', 'critical', 300, 600, false, 'system'),
  ('default-pm25', NULL, 'PM2.5 重度污染 PM2.5 heavily polluted', 'threshold', 'env_sensor', 'pm25_ugm3',
    '{"op": ">", "value": 150, "durationS": 3600, "clearValue": 115}', 'minor', NULL, NULL, false, 'system')
ON CONFLICT (id) DO NOTHING;

INSERT INTO alarm_rules (id, community_id, name, type, device_kind, metric, params, severity, escalate_after_s,
  remind_every_s, auto_work_order, created_by)
VALUES
  ('default-lift-offline', NULL, '电梯离线 Lift offline', 'stale', 'elevator', NULL, '{"afterS": 180}', 'major',
    1800, 3600, true, 'system'),
  ('default-pump-offline', NULL, '水泵离线 Pump offline', 'stale', 'water_pump', NULL, '{"afterS": 180}', 'major',
    1800, 3600, true, 'system'),
  ('default-fire-panel-offline', NULL, '消防主机离线 Fire panel offline', 'stale', 'fire_panel', NULL,
    '{"afterS": 1800}', 'critical', 600, 1800, false, 'system')
ON CONFLICT (id) DO NOTHING;
