import { Router, type Request, type Response } from 'express';
import { COUNCIL_TYPES, INSTITUTION_TYPES, MATURITY_LEVELS, REGIONS } from '../../domain/reference-data.js';
import { formatDayMonthYear } from '../../domain/calendar-date.js';
import { actorOf, requireRole } from '../../middleware/auth.js';
import { attempt, formAfterFailedEdit, readForm, type FormOutcome } from '../csv/admin-forms.js';
import type { FeatureDeps } from '../index.js';
import { importCouncilRegistry, loadCouncilRegistry, planCouncilImport } from './council-registry.js';
import type { Institution } from './institution.model.js';
import {
  bulkUpdateInstitutions,
  createInstitution,
  getInstitution,
  institutionOptions,
  listChildren,
  listInstitutions,
  setInstitutionActive,
  updateInstitution,
} from './institutions.service.js';
import {
  institutionBulkSchema,
  institutionEditSchema,
  institutionFormSchema,
  institutionListQuerySchema,
  INSTITUTION_BULK_FIELDS,
} from './institutions.validation.js';
import { idRoute, routeId } from '../../middleware/validate.js';

/** Form values (field names of views/institutions/form.hbs) from a stored institution. */
export function institutionValues(doc: Institution): Record<string, unknown> {
  const parent = doc.parent as unknown as { _id?: unknown } | null;
  return {
    code: doc.code,
    nameSw: doc.name.sw,
    nameEn: doc.name.en ?? '',
    acronym: doc.acronym ?? '',
    type: doc.type,
    region: doc.region,
    parent: parent ? String(parent._id ?? parent) : '',
    active: doc.active,
    maturityLevel: doc.maturityLevel === null || doc.maturityLevel === undefined ? '' : String(doc.maturityLevel),
    maturityAssessedOn: formatDayMonthYear(doc.maturityAssessedOn ?? null),
    voteCode: doc.voteCode ?? '',
    councilType: doc.councilType ?? '',
    inScope: doc.inScope ?? true,
    revision: doc.revision,
  };
}

/** Institutions administration: admin manages; reviewer reads. */
export function createInstitutionsRouter(_deps: FeatureDeps): Router {
  const router = Router();
  const admin = requireRole('admin');
  const staff = requireRole('admin', 'reviewer');

  const renderList = async (req: Request, res: Response, status = 200, bulk: { errors?: Record<string, string>; values?: Record<string, unknown> } = {}) => {
    const parsed = institutionListQuerySchema.safeParse(req.method === 'GET' ? req.query : {});
    const query = parsed.success ? parsed.data : {};
    const result = await listInstitutions(query, req.lang);
    res.status(status).render('institutions/list', {
      pageTitle: req.t('institutions:list.title'),
      ...result,
      pages: result.pageCount,
      filter: query,
      types: INSTITUTION_TYPES,
      regions: REGIONS,
      maturityLevels: MATURITY_LEVELS,
      councilTypes: COUNCIL_TYPES,
      bulkFields: INSTITUTION_BULK_FIELDS,
      parents: await institutionOptions(),
      bulkErrors: bulk.errors ?? {},
      bulkValues: bulk.values ?? {},
    });
  };

  router.get('/admin/institutions', staff, (req, res) => renderList(req, res));

  const renderForm = async (req: Request, res: Response, status: number, data: { institution?: Institution; values: Record<string, unknown>; errors?: Record<string, string>; conflict?: boolean }) => {
    const options = await institutionOptions();
    const selfId = data.institution ? String(data.institution._id) : null;
    res.status(status).render('institutions/form', {
      pageTitle: req.t(data.institution ? 'institutions:form.editTitle' : 'institutions:form.newTitle'),
      institution: data.institution,
      isEdit: Boolean(data.institution),
      action: data.institution ? `/admin/institutions/${String(data.institution._id)}` : '/admin/institutions',
      values: data.values,
      errors: data.errors ?? {},
      conflict: data.conflict ?? false,
      types: INSTITUTION_TYPES,
      regions: REGIONS,
      maturityLevels: MATURITY_LEVELS,
      councilTypes: COUNCIL_TYPES,
      parents: options.filter((o) => String(o._id) !== selfId),
    });
  };

  router.get('/admin/institutions/new', admin, (req, res) => renderForm(req, res, 200, { values: { active: true, inScope: true } }));

  router.post('/admin/institutions', admin, async (req, res) => {
    const form = readForm(institutionFormSchema, req);
    const outcome: FormOutcome<Institution> = form.ok ? await attempt(req, () => createInstitution(form.data, actorOf(req))) : form;
    if (!outcome.ok) return renderForm(req, res, outcome.status, { values: outcome.values, errors: outcome.errors });
    req.flash('success', req.t('institutions:flash.created', { code: outcome.data.code }));
    res.redirect(`/admin/institutions/${String(outcome.data._id)}`);
  });

  router.post('/admin/institutions/bulk', admin, async (req, res) => {
    const form = readForm(institutionBulkSchema, req);
    const outcome = form.ok ? await attempt(req, () => bulkUpdateInstitutions(form.data, actorOf(req))) : form;
    if (!outcome.ok) return renderList(req, res, outcome.status, { errors: outcome.errors, values: outcome.values });
    req.flash('success', req.t('institutions:flash.bulkUpdated', { count: outcome.data }));
    res.redirect('/admin/institutions');
  });

  router.get('/admin/institutions/councils', staff, async (req, res) => {
    const councils = await loadCouncilRegistry();
    const plan = await planCouncilImport(councils);
    res.render('institutions/councils', {
      pageTitle: req.t('institutions:councils.title'),
      total: councils.length,
      present: plan.present,
      missing: plan.missing,
      toLink: plan.toLink.length,
      outOfScope: councils.filter((c) => !c.inScope).length,
      canImport: plan.missing.length + plan.toLink.length > 0,
    });
  });

  router.post('/admin/institutions/councils', admin, async (req, res) => {
    const result = await importCouncilRegistry(actorOf(req));
    req.flash('success', req.t('institutions:councils.imported', { inserted: result.inserted, linked: result.linked }));
    res.redirect('/admin/institutions?type=lga');
  });

  const idParam = idRoute();

  router.get('/admin/institutions/:id', staff, idParam, async (req, res) => {
    const institution = await getInstitution(routeId(req));
    res.render('institutions/detail', {
      pageTitle: institution.name.sw,
      institution,
      children: await listChildren(String(institution._id)),
    });
  });

  router.get('/admin/institutions/:id/edit', admin, idParam, async (req, res) => {
    const institution = await getInstitution(routeId(req));
    return renderForm(req, res, 200, { institution, values: institutionValues(institution) });
  });

  router.post('/admin/institutions/:id', admin, idParam, async (req, res) => {
    const id = routeId(req);
    const institution = await getInstitution(id);
    const form = readForm(institutionEditSchema, req);
    const outcome = form.ok ? await attempt(req, () => updateInstitution(id, form.data, actorOf(req))) : form;
    if (!outcome.ok) {
      const again = await formAfterFailedEdit(outcome, institution, () => getInstitution(id), institutionValues);
      return renderForm(req, res, again.status, { institution: again.doc, values: again.values, errors: again.errors, conflict: again.conflict });
    }
    req.flash('success', req.t('institutions:flash.updated', { code: outcome.data.code }));
    res.redirect(`/admin/institutions/${id}`);
  });

  router.post('/admin/institutions/:id/active', admin, idParam, async (req, res) => {
    const id = routeId(req);
    const active = (req.body as Record<string, unknown>)?.active === 'true';
    const updated = await setInstitutionActive(id, active, actorOf(req));
    req.flash('success', req.t(active ? 'institutions:flash.activated' : 'institutions:flash.deactivated', { code: updated.code }));
    res.redirect(`/admin/institutions/${id}`);
  });

  return router;
}
