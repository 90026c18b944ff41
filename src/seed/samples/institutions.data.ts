import type { InstitutionType, Region } from '../../domain/reference-data.js';

/** A demo institution: code, Kiswahili name, English name, acronym, type, region, parent code. */
export interface SampleInstitution {
  code: string;
  sw: string;
  en: string;
  acronym: string;
  type: InstitutionType;
  region: Region;
  parent?: string;
}

const i = (code: string, sw: string, en: string, acronym: string, type: InstitutionType, region: Region, parent?: string): SampleInstitution => ({
  code,
  sw,
  en,
  acronym,
  type,
  region,
  parent,
});

/**
 * Sample public institutions for the demo (names of real Tanzanian bodies; codes, regions and
 * parent links are illustrative, not e-GA's official register). Parents come before children.
 */
export const SAMPLE_INSTITUTIONS: SampleInstitution[] = [
  // Ministries and the President's/Vice-President's offices
  i('MIN-001', 'Ofisi ya Rais - Menejimenti ya Utumishi wa Umma na Utawala Bora', "President's Office - Public Service Management and Good Governance", 'PO-PSMGG', 'ministry', 'Dodoma'),
  i('MIN-002', 'Ofisi ya Rais - Tawala za Mikoa na Serikali za Mitaa', "President's Office - Regional Administration and Local Government", 'PO-RALG', 'ministry', 'Dodoma'),
  i('MIN-003', 'Wizara ya Fedha', 'Ministry of Finance', 'MoF', 'ministry', 'Dodoma'),
  i('MIN-004', 'Wizara ya Habari, Mawasiliano na Teknolojia ya Habari', 'Ministry of Information, Communication and Information Technology', 'MICIT', 'ministry', 'Dodoma'),
  i('MIN-005', 'Wizara ya Afya', 'Ministry of Health', 'MoH', 'ministry', 'Dodoma'),
  i('MIN-006', 'Wizara ya Elimu, Sayansi na Teknolojia', 'Ministry of Education, Science and Technology', 'MoEST', 'ministry', 'Dodoma'),
  i('MIN-007', 'Wizara ya Kilimo', 'Ministry of Agriculture', 'MoA', 'ministry', 'Dodoma'),
  i('MIN-008', 'Wizara ya Mambo ya Ndani ya Nchi', 'Ministry of Home Affairs', 'MoHA', 'ministry', 'Dodoma'),
  i('MIN-009', 'Wizara ya Ardhi, Nyumba na Maendeleo ya Makazi', 'Ministry of Lands, Housing and Human Settlements Development', 'MLHHSD', 'ministry', 'Dodoma'),
  i('MIN-010', 'Wizara ya Maji', 'Ministry of Water', 'MoW', 'ministry', 'Dodoma'),
  i('MIN-011', 'Wizara ya Nishati', 'Ministry of Energy', 'MoE', 'ministry', 'Dodoma'),
  i('MIN-012', 'Wizara ya Katiba na Sheria', 'Ministry of Constitutional and Legal Affairs', 'MoCLA', 'ministry', 'Dodoma'),
  i('MIN-013', 'Wizara ya Maliasili na Utalii', 'Ministry of Natural Resources and Tourism', 'MNRT', 'ministry', 'Dodoma'),
  i('MIN-014', 'Wizara ya Ujenzi', 'Ministry of Works', 'MoW-Works', 'ministry', 'Dodoma'),
  i('MIN-015', 'Wizara ya Viwanda na Biashara', 'Ministry of Industry and Trade', 'MIT', 'ministry', 'Dodoma'),

  // Independent departments
  i('IND-001', 'Tume ya Utumishi wa Umma', 'Public Service Commission', 'PSC', 'independent_department', 'Dodoma', 'MIN-001'),
  i('IND-002', 'Ofisi ya Mwanasheria Mkuu wa Serikali', 'Office of the Attorney General', 'OAG', 'independent_department', 'Dodoma'),
  i('IND-003', 'Ofisi ya Taifa ya Ukaguzi', 'National Audit Office of Tanzania', 'NAOT', 'independent_department', 'Dodoma'),
  i('IND-004', 'Tume Huru ya Taifa ya Uchaguzi', 'Independent National Electoral Commission', 'INEC', 'independent_department', 'Dodoma'),
  i('IND-005', 'Tume ya Haki za Binadamu na Utawala Bora', 'Commission for Human Rights and Good Governance', 'CHRAGG', 'independent_department', 'Dodoma'),
  i('IND-006', 'Mahakama ya Tanzania', 'Judiciary of Tanzania', 'JoT', 'independent_department', 'Dodoma'),
  i('IND-007', 'Ofisi ya Msajili wa Hazina', 'Office of the Treasury Registrar', 'OTR', 'independent_department', 'Dar es Salaam', 'MIN-003'),
  i('IND-008', 'Taasisi ya Kuzuia na Kupambana na Rushwa', 'Prevention and Combating of Corruption Bureau', 'PCCB', 'independent_department', 'Dodoma'),

  // Executive agencies
  i('AGY-001', 'Mamlaka ya Serikali Mtandao', 'e-Government Authority', 'e-GA', 'executive_agency', 'Dodoma', 'MIN-001'),
  i('AGY-002', 'Wakala wa Usajili, Ufilisi na Udhamini', 'Registration, Insolvency and Trusteeship Agency', 'RITA', 'executive_agency', 'Dar es Salaam', 'MIN-012'),
  i('AGY-003', 'Mamlaka ya Vitambulisho vya Taifa', 'National Identification Authority', 'NIDA', 'executive_agency', 'Dar es Salaam', 'MIN-008'),
  i('AGY-004', 'Wakala wa Barabara Tanzania', 'Tanzania National Roads Agency', 'TANROADS', 'executive_agency', 'Dar es Salaam', 'MIN-014'),
  i('AGY-005', 'Wakala wa Barabara za Vijijini na Mijini', 'Tanzania Rural and Urban Roads Agency', 'TARURA', 'executive_agency', 'Dodoma', 'MIN-002'),
  i('AGY-006', 'Wakala wa Majengo Tanzania', 'Tanzania Buildings Agency', 'TBA', 'executive_agency', 'Dar es Salaam', 'MIN-014'),
  i('AGY-007', 'Wakala wa Huduma za Misitu Tanzania', 'Tanzania Forest Services Agency', 'TFS', 'executive_agency', 'Dodoma', 'MIN-013'),
  i('AGY-008', 'Wakala wa Vipimo', 'Weights and Measures Agency', 'WMA', 'executive_agency', 'Dodoma', 'MIN-015'),
  i('AGY-009', 'Chuo cha Utumishi wa Umma Tanzania', 'Tanzania Public Service College', 'TPSC', 'executive_agency', 'Dar es Salaam', 'MIN-001'),
  i('AGY-010', 'Ofisi ya Taifa ya Takwimu', 'National Bureau of Statistics', 'NBS', 'executive_agency', 'Dodoma', 'MIN-003'),
  i('AGY-011', 'Wakala wa Usajili wa Biashara na Leseni', 'Business Registrations and Licensing Agency', 'BRELA', 'executive_agency', 'Dar es Salaam', 'MIN-015'),
  i('AGY-012', 'Wakala wa Huduma ya Ununuzi Serikalini', 'Government Procurement Services Agency', 'GPSA', 'executive_agency', 'Dodoma', 'MIN-003'),
  i('AGY-013', 'Wakala wa Ndege za Serikali Tanzania', 'Tanzania Government Flight Agency', 'TGFA', 'executive_agency', 'Dar es Salaam', 'MIN-014'),
  i('AGY-014', 'Wakala wa Mbegu za Kilimo', 'Agricultural Seed Agency', 'ASA', 'executive_agency', 'Morogoro', 'MIN-007'),

  // Public corporations and authorities
  i('PC-001', 'Shirika la Umeme Tanzania', 'Tanzania Electric Supply Company', 'TANESCO', 'public_corporation', 'Dar es Salaam', 'MIN-011'),
  i('PC-002', 'Shirika la Mawasiliano Tanzania', 'Tanzania Telecommunications Corporation', 'TTCL', 'public_corporation', 'Dar es Salaam', 'MIN-004'),
  i('PC-003', 'Mamlaka ya Usimamizi wa Bandari Tanzania', 'Tanzania Ports Authority', 'TPA', 'public_corporation', 'Dar es Salaam'),
  i('PC-004', 'Shirika la Reli Tanzania', 'Tanzania Railways Corporation', 'TRC', 'public_corporation', 'Dar es Salaam'),
  i('PC-005', 'Shirika la Nyumba la Taifa', 'National Housing Corporation', 'NHC', 'public_corporation', 'Dar es Salaam', 'MIN-009'),
  i('PC-006', 'Mfuko wa Taifa wa Hifadhi ya Jamii', 'National Social Security Fund', 'NSSF', 'public_corporation', 'Dar es Salaam'),
  i('PC-007', 'Mfuko wa Hifadhi ya Jamii kwa Watumishi wa Umma', 'Public Service Social Security Fund', 'PSSSF', 'public_corporation', 'Dodoma'),
  i('PC-008', 'Shirika la Maendeleo ya Petroli Tanzania', 'Tanzania Petroleum Development Corporation', 'TPDC', 'public_corporation', 'Dar es Salaam', 'MIN-011'),
  i('PC-009', 'Shirika la Posta Tanzania', 'Tanzania Posts Corporation', 'TPC', 'public_corporation', 'Dar es Salaam', 'MIN-004'),
  i('PC-010', 'Mamlaka ya Majisafi na Usafi wa Mazingira Dar es Salaam', 'Dar es Salaam Water Supply and Sanitation Authority', 'DAWASA', 'public_corporation', 'Dar es Salaam', 'MIN-010'),
  i('PC-011', 'Mamlaka ya Majisafi na Usafi wa Mazingira Arusha', 'Arusha Urban Water Supply and Sanitation Authority', 'AUWSA', 'public_corporation', 'Arusha', 'MIN-010'),

  // Other public bodies
  i('OTH-001', 'Mamlaka ya Mapato Tanzania', 'Tanzania Revenue Authority', 'TRA', 'other', 'Dar es Salaam', 'MIN-003'),
  i('OTH-002', 'Mamlaka ya Mawasiliano Tanzania', 'Tanzania Communications Regulatory Authority', 'TCRA', 'other', 'Dar es Salaam', 'MIN-004'),
  i('OTH-003', 'Benki Kuu ya Tanzania', 'Bank of Tanzania', 'BoT', 'other', 'Dar es Salaam'),
  i('OTH-004', 'Chuo Kikuu cha Dar es Salaam', 'University of Dar es Salaam', 'UDSM', 'other', 'Dar es Salaam', 'MIN-006'),
  i('OTH-005', 'Hospitali ya Taifa Muhimbili', 'Muhimbili National Hospital', 'MNH', 'other', 'Dar es Salaam', 'MIN-005'),
  i('OTH-006', 'Shirika la Viwango Tanzania', 'Tanzania Bureau of Standards', 'TBS', 'other', 'Dar es Salaam', 'MIN-015'),
  i('OTH-007', 'Chuo Kikuu cha Dodoma', 'University of Dodoma', 'UDOM', 'other', 'Dodoma', 'MIN-006'),

  // Regional secretariats
  i('RS-001', 'Sekretarieti ya Mkoa wa Dar es Salaam', 'Dar es Salaam Regional Secretariat', 'RS-DSM', 'regional_secretariat', 'Dar es Salaam', 'MIN-002'),
  i('RS-002', 'Sekretarieti ya Mkoa wa Dodoma', 'Dodoma Regional Secretariat', 'RS-DOM', 'regional_secretariat', 'Dodoma', 'MIN-002'),
  i('RS-003', 'Sekretarieti ya Mkoa wa Arusha', 'Arusha Regional Secretariat', 'RS-ARS', 'regional_secretariat', 'Arusha', 'MIN-002'),
  i('RS-004', 'Sekretarieti ya Mkoa wa Mwanza', 'Mwanza Regional Secretariat', 'RS-MWZ', 'regional_secretariat', 'Mwanza', 'MIN-002'),
  i('RS-005', 'Sekretarieti ya Mkoa wa Mbeya', 'Mbeya Regional Secretariat', 'RS-MBY', 'regional_secretariat', 'Mbeya', 'MIN-002'),
  i('RS-006', 'Sekretarieti ya Mkoa wa Tanga', 'Tanga Regional Secretariat', 'RS-TNG', 'regional_secretariat', 'Tanga', 'MIN-002'),
  i('RS-007', 'Sekretarieti ya Mkoa wa Kigoma', 'Kigoma Regional Secretariat', 'RS-KGM', 'regional_secretariat', 'Kigoma', 'MIN-002'),
  i('RS-008', 'Sekretarieti ya Mkoa wa Mtwara', 'Mtwara Regional Secretariat', 'RS-MTW', 'regional_secretariat', 'Mtwara', 'MIN-002'),
  i('RS-009', 'Sekretarieti ya Mkoa wa Kagera', 'Kagera Regional Secretariat', 'RS-KGR', 'regional_secretariat', 'Kagera', 'MIN-002'),
  i('RS-010', 'Sekretarieti ya Mkoa wa Morogoro', 'Morogoro Regional Secretariat', 'RS-MRG', 'regional_secretariat', 'Morogoro', 'MIN-002'),
  i('RS-011', 'Sekretarieti ya Mkoa wa Singida', 'Singida Regional Secretariat', 'RS-SGD', 'regional_secretariat', 'Singida', 'MIN-002'),
  i('RS-012', 'Sekretarieti ya Mkoa wa Kilimanjaro', 'Kilimanjaro Regional Secretariat', 'RS-KLM', 'regional_secretariat', 'Kilimanjaro', 'MIN-002'),
  // The remaining mainland regions, so every council of the registry sits under its region.
  i('RS-013', 'Sekretarieti ya Mkoa wa Geita', 'Geita Regional Secretariat', 'RS-GEI', 'regional_secretariat', 'Geita', 'MIN-002'),
  i('RS-014', 'Sekretarieti ya Mkoa wa Iringa', 'Iringa Regional Secretariat', 'RS-IRI', 'regional_secretariat', 'Iringa', 'MIN-002'),
  i('RS-015', 'Sekretarieti ya Mkoa wa Katavi', 'Katavi Regional Secretariat', 'RS-KAT', 'regional_secretariat', 'Katavi', 'MIN-002'),
  i('RS-016', 'Sekretarieti ya Mkoa wa Lindi', 'Lindi Regional Secretariat', 'RS-LIN', 'regional_secretariat', 'Lindi', 'MIN-002'),
  i('RS-017', 'Sekretarieti ya Mkoa wa Manyara', 'Manyara Regional Secretariat', 'RS-MAN', 'regional_secretariat', 'Manyara', 'MIN-002'),
  i('RS-018', 'Sekretarieti ya Mkoa wa Mara', 'Mara Regional Secretariat', 'RS-MAR', 'regional_secretariat', 'Mara', 'MIN-002'),
  i('RS-019', 'Sekretarieti ya Mkoa wa Njombe', 'Njombe Regional Secretariat', 'RS-NJO', 'regional_secretariat', 'Njombe', 'MIN-002'),
  i('RS-020', 'Sekretarieti ya Mkoa wa Pwani', 'Pwani Regional Secretariat', 'RS-PWA', 'regional_secretariat', 'Pwani', 'MIN-002'),
  i('RS-021', 'Sekretarieti ya Mkoa wa Rukwa', 'Rukwa Regional Secretariat', 'RS-RUK', 'regional_secretariat', 'Rukwa', 'MIN-002'),
  i('RS-022', 'Sekretarieti ya Mkoa wa Ruvuma', 'Ruvuma Regional Secretariat', 'RS-RUV', 'regional_secretariat', 'Ruvuma', 'MIN-002'),
  i('RS-023', 'Sekretarieti ya Mkoa wa Shinyanga', 'Shinyanga Regional Secretariat', 'RS-SHI', 'regional_secretariat', 'Shinyanga', 'MIN-002'),
  i('RS-024', 'Sekretarieti ya Mkoa wa Simiyu', 'Simiyu Regional Secretariat', 'RS-SIM', 'regional_secretariat', 'Simiyu', 'MIN-002'),
  i('RS-025', 'Sekretarieti ya Mkoa wa Songwe', 'Songwe Regional Secretariat', 'RS-SON', 'regional_secretariat', 'Songwe', 'MIN-002'),
  i('RS-026', 'Sekretarieti ya Mkoa wa Tabora', 'Tabora Regional Secretariat', 'RS-TAB', 'regional_secretariat', 'Tabora', 'MIN-002'),

  // Local government authorities
  i('LGA-001', 'Halmashauri ya Jiji la Dodoma', 'Dodoma City Council', 'DCC', 'lga', 'Dodoma', 'RS-002'),
  i('LGA-002', 'Halmashauri ya Jiji la Dar es Salaam', 'Dar es Salaam City Council', 'DSM-CC', 'lga', 'Dar es Salaam', 'RS-001'),
  i('LGA-003', 'Halmashauri ya Manispaa ya Kinondoni', 'Kinondoni Municipal Council', 'KMC', 'lga', 'Dar es Salaam', 'RS-001'),
  i('LGA-004', 'Halmashauri ya Manispaa ya Temeke', 'Temeke Municipal Council', 'TMC', 'lga', 'Dar es Salaam', 'RS-001'),
  i('LGA-005', 'Halmashauri ya Manispaa ya Ubungo', 'Ubungo Municipal Council', 'UMC', 'lga', 'Dar es Salaam', 'RS-001'),
  i('LGA-006', 'Halmashauri ya Jiji la Arusha', 'Arusha City Council', 'ACC', 'lga', 'Arusha', 'RS-003'),
  i('LGA-007', 'Halmashauri ya Jiji la Mwanza', 'Mwanza City Council', 'MCC', 'lga', 'Mwanza', 'RS-004'),
  i('LGA-008', 'Halmashauri ya Manispaa ya Ilemela', 'Ilemela Municipal Council', 'IMC', 'lga', 'Mwanza', 'RS-004'),
  i('LGA-009', 'Halmashauri ya Jiji la Mbeya', 'Mbeya City Council', 'MbCC', 'lga', 'Mbeya', 'RS-005'),
  i('LGA-010', 'Halmashauri ya Jiji la Tanga', 'Tanga City Council', 'TCC', 'lga', 'Tanga', 'RS-006'),
  i('LGA-011', 'Halmashauri ya Manispaa ya Kigoma Ujiji', 'Kigoma Ujiji Municipal Council', 'KUMC', 'lga', 'Kigoma', 'RS-007'),
  i('LGA-012', 'Halmashauri ya Manispaa ya Mtwara Mikindani', 'Mtwara Mikindani Municipal Council', 'MMMC', 'lga', 'Mtwara', 'RS-008'),
  i('LGA-013', 'Halmashauri ya Manispaa ya Bukoba', 'Bukoba Municipal Council', 'BMC', 'lga', 'Kagera', 'RS-009'),
  i('LGA-014', 'Halmashauri ya Manispaa ya Morogoro', 'Morogoro Municipal Council', 'MMC', 'lga', 'Morogoro', 'RS-010'),
  i('LGA-015', 'Halmashauri ya Manispaa ya Singida', 'Singida Municipal Council', 'SMC', 'lga', 'Singida', 'RS-011'),
  i('LGA-016', 'Halmashauri ya Manispaa ya Moshi', 'Moshi Municipal Council', 'MoMC', 'lga', 'Kilimanjaro', 'RS-012'),
  i('LGA-017', 'Halmashauri ya Manispaa ya Iringa', 'Iringa Municipal Council', 'IrMC', 'lga', 'Iringa', 'MIN-002'),
  i('LGA-018', 'Halmashauri ya Manispaa ya Tabora', 'Tabora Municipal Council', 'TaMC', 'lga', 'Tabora', 'MIN-002'),
  i('LGA-019', 'Halmashauri ya Manispaa ya Shinyanga', 'Shinyanga Municipal Council', 'ShMC', 'lga', 'Shinyanga', 'MIN-002'),
  i('LGA-020', 'Halmashauri ya Manispaa ya Musoma', 'Musoma Municipal Council', 'MuMC', 'lga', 'Mara', 'MIN-002'),
  i('LGA-021', 'Halmashauri ya Manispaa ya Sumbawanga', 'Sumbawanga Municipal Council', 'SuMC', 'lga', 'Rukwa', 'MIN-002'),
  i('LGA-022', 'Halmashauri ya Manispaa ya Lindi', 'Lindi Municipal Council', 'LMC', 'lga', 'Lindi', 'MIN-002'),
  i('LGA-023', 'Halmashauri ya Mji wa Geita', 'Geita Town Council', 'GTC', 'lga', 'Geita', 'MIN-002'),
  i('LGA-024', 'Halmashauri ya Mji wa Bariadi', 'Bariadi Town Council', 'BTC', 'lga', 'Simiyu', 'MIN-002'),
  i('LGA-025', 'Halmashauri ya Mji wa Babati', 'Babati Town Council', 'BaTC', 'lga', 'Manyara', 'MIN-002'),
  i('LGA-026', 'Halmashauri ya Mji wa Njombe', 'Njombe Town Council', 'NTC', 'lga', 'Njombe', 'MIN-002'),
  i('LGA-027', 'Halmashauri ya Manispaa ya Mpanda', 'Mpanda Municipal Council', 'MpMC', 'lga', 'Katavi', 'MIN-002'),
  i('LGA-028', 'Halmashauri ya Manispaa ya Songea', 'Songea Municipal Council', 'SoMC', 'lga', 'Ruvuma', 'MIN-002'),
  i('LGA-029', 'Halmashauri ya Mji wa Kibaha', 'Kibaha Town Council', 'KTC', 'lga', 'Pwani', 'MIN-002'),
  i('LGA-030', 'Halmashauri ya Wilaya ya Mbozi', 'Mbozi District Council', 'MbDC', 'lga', 'Songwe', 'MIN-002'),
];
